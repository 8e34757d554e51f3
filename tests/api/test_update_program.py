"""updateProgram: merchants change only the settings they send; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds

UPDATE_PROGRAM = """
mutation($input: UpdateProgramInput!) {
  updateProgram(input: $input) {
    program { earnRate pendingDays expiryMonths timezone defaultLocale }
    userErrors { code field message }
  }
}
"""

PROGRAM = """
{ program { earnRate pointValue expiryMonths pendingDays couponValidDays timezone defaultLocale
  pointsName { one other format(count: 3) }
  earningRules { kind category sku multiplier bonusPoints activity points limit period active } } }
"""


async def update(api: Api, creds: TenantCreds, changes: dict[str, Any]) -> dict[str, Any]:
    body = await api.gql(UPDATE_PROGRAM, {"input": changes}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["updateProgram"]
    return payload


async def program(api: Api, creds: TenantCreds, locale: str = "en") -> dict[str, Any]:
    body = await api.gql(PROGRAM, tenant=creds.slug, locale=locale)
    result: dict[str, Any] = body["data"]["program"]
    return result


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["program"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def test_earn_rate_changes_and_other_settings_stay(api: Api, acme: TenantCreds) -> None:
    # given
    before = await program(api, acme)
    assert before["pendingDays"] == 14
    # when
    payload = await update(api, acme, {"earnRate": "2.5"})
    # then
    assert payload["userErrors"] == []
    assert payload["program"]["earnRate"] == 2.5
    assert payload["program"]["pendingDays"] == 14
    assert await program(api, acme) == {**before, "earnRate": 2.5}


async def test_null_expiry_means_points_never_expire(api: Api, acme: TenantCreds) -> None:
    # given
    given = await update(api, acme, {"expiryMonths": 12})
    assert given["program"]["expiryMonths"] == 12
    # when
    payload = await update(api, acme, {"expiryMonths": None})
    # then
    assert payload["userErrors"] == []
    assert payload["program"]["expiryMonths"] is None
    assert (await program(api, acme))["expiryMonths"] is None


async def test_omitted_expiry_keeps_the_old_value(api: Api, acme: TenantCreds) -> None:
    # given
    await update(api, acme, {"expiryMonths": 12})
    # when
    payload = await update(api, acme, {"pendingDays": 7})
    # then
    assert payload["userErrors"] == []
    assert (payload["program"]["expiryMonths"], payload["program"]["pendingDays"]) == (12, 7)
    current = await program(api, acme)
    assert (current["expiryMonths"], current["pendingDays"]) == (12, 7)


async def test_points_name_is_shown_in_the_request_language(api: Api, acme: TenantCreds) -> None:
    # given
    names = {"ar": {"one": "فلكس", "other": "فلكس"}, "en": {"one": "Flex", "other": "Flex"}}
    # when
    payload = await update(api, acme, {"pointsName": names})
    # then
    assert payload["userErrors"] == []
    assert (await program(api, acme, "en"))["pointsName"] == {
        "one": "Flex",
        "other": "Flex",
        "format": "3 Flex",
    }
    assert (await program(api, acme, "ar"))["pointsName"] == {
        "one": "فلكس",
        "other": "فلكس",
        "format": "3 فلكس",
    }


async def test_earning_rules_are_replaced_as_a_whole(api: Api, acme: TenantCreds) -> None:
    # given
    first = [
        {"kind": "CATEGORY", "category": "shoes", "multiplier": "2"},
        {"kind": "ACTIVITY", "activity": "PRODUCT_REVIEW", "points": 25},
    ]
    assert (await update(api, acme, {"earningRules": first}))["userErrors"] == []
    # when
    second = [{"kind": "SKU", "sku": "SKU-9", "bonusPoints": 50}]
    payload = await update(api, acme, {"earningRules": second})
    # then
    assert payload["userErrors"] == []
    assert (await program(api, acme))["earningRules"] == [
        {
            "kind": "SKU",
            "category": None,
            "sku": "SKU-9",
            "multiplier": 1.0,
            "bonusPoints": 50,
            "activity": None,
            "points": 0,
            "limit": None,
            "period": "LIFETIME",
            "active": True,
        }
    ]


async def test_first_earning_rules_read_back(api: Api, acme: TenantCreds) -> None:
    # given
    rules = [
        {"kind": "CATEGORY", "category": "shoes", "multiplier": "2"},
        {"kind": "ACTIVITY", "activity": "BIRTHDAY", "points": 200, "limit": 1, "period": "YEAR"},
    ]
    # when
    payload = await update(api, acme, {"earningRules": rules})
    # then
    assert payload["userErrors"] == []
    read = (await program(api, acme))["earningRules"]
    assert [(r["kind"], r["category"], r["multiplier"]) for r in read] == [
        ("CATEGORY", "shoes", 2.0),
        ("ACTIVITY", None, 1.0),
    ]
    assert (read[1]["activity"], read[1]["points"], read[1]["limit"], read[1]["period"]) == (
        "BIRTHDAY",
        200,
        1,
        "YEAR",
    )


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"earnRate": "0"}, "INVALID_AMOUNT", ["input", "earnRate"]),
        ({"earnRate": "-1"}, "INVALID_AMOUNT", ["input", "earnRate"]),
        ({"earnRate": "abc"}, "INVALID_DECIMAL", ["input", "earnRate"]),
        ({"pendingDays": 400}, "OUT_OF_RANGE", ["input", "pendingDays"]),
        ({"expiryMonths": 0}, "OUT_OF_RANGE", ["input", "expiryMonths"]),
        ({"timezone": "Mars/Base"}, "INVALID_INPUT", ["input", "timezone"]),
        ({"defaultLocale": "fr"}, "INVALID_LOCALE", ["input", "defaultLocale"]),
        (
            {"earningRules": [{"kind": "CATEGORY"}]},
            "INVALID_INPUT",
            ["input", "earningRules", "0", "category"],
        ),
        (
            {"earningRules": [{"kind": "ACTIVITY", "points": 10}]},
            "INVALID_INPUT",
            ["input", "earningRules", "0", "activity"],
        ),
        (
            {"earningRules": [{"kind": "CATEGORY", "category": "shoes", "multiplier": "0"}]},
            "INVALID_AMOUNT",
            ["input", "earningRules", "0", "multiplier"],
        ),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, changes: dict[str, Any], code: str, field: list[str]
) -> None:
    # given
    before = await program(api, acme)
    # when
    payload = await update(api, acme, {"earnRate": "3", **changes})
    # then
    assert refused(payload) == (code, field)
    assert await program(api, acme) == before


async def test_events_key_is_forbidden(api: Api, acme: TenantCreds) -> None:
    # given
    before = await program(api, acme)
    # when
    body = await api.gql(UPDATE_PROGRAM, {"input": {"earnRate": "5"}}, token=acme.events)
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await program(api, acme) == before


async def test_another_tenant_changes_only_its_own_program(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    acme_before = await program(api, acme)
    # when
    payload = await update(api, globex, {"earnRate": "7", "pendingDays": 3})
    # then
    assert payload["userErrors"] == []
    globex_now = await program(api, globex)
    assert (globex_now["earnRate"], globex_now["pendingDays"]) == (7.0, 3)
    assert await program(api, acme) == acme_before
    assert acme_before["pendingDays"] == 14


@pytest.mark.parametrize(
    ("given", "changes", "field", "message"),
    [
        # a 30-day return window cannot be paired with points that expire after one month
        ({}, {"pendingDays": 30, "expiryMonths": 1}, "pendingDays", "between 0 and 27"),
        ({"expiryMonths": 1}, {"pendingDays": 28}, "pendingDays", "between 0 and 27"),
        ({"pendingDays": 60}, {"expiryMonths": 2}, "expiryMonths", "between 3 and 120"),
    ],
)
async def test_settings_where_points_could_expire_before_release_are_refused(
    api: Api,
    acme: TenantCreds,
    given: dict[str, Any],
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    # given
    if given:
        assert (await update(api, acme, given))["userErrors"] == []
    before = await program(api, acme)
    # when
    payload = await update(api, acme, changes)
    # then
    assert refused(payload) == ("OUT_OF_RANGE", ["input", field])
    assert message in payload["userErrors"][0]["message"]
    assert await program(api, acme) == before


async def test_the_longest_window_that_releases_before_expiry_is_accepted(
    api: Api, acme: TenantCreds
) -> None:
    # when
    payload = await update(api, acme, {"pendingDays": 27, "expiryMonths": 1})
    # then
    assert payload["userErrors"] == []
    assert (payload["program"]["pendingDays"], payload["program"]["expiryMonths"]) == (27, 1)
