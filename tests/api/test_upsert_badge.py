"""upsertBadge: merchant-defined achievements; bad input names the field and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.global_ids import local
from tests.api.tiers_helpers import silver_gold

UPSERT_BADGE = """
mutation($input: UpsertBadgeInput!) { upsertBadge(input: $input) {
  badge { id name description icon rule category tierId goal bonusPoints active }
  userErrors { code field message } } }
"""


async def upsert_badge(
    api: Api, creds: TenantCreds, rule: str, goal: int = 1, locale: str = "en", **extra: Any
) -> dict[str, Any]:
    variables = {
        "input": {
            "name": {"ar": f"شارة {rule}", "en": f"Badge {rule}"},
            "rule": rule,
            "goal": goal,
            **extra,
        }
    }
    body = await api.gql(UPSERT_BADGE, variables, token=creds.admin, locale=locale)
    payload: dict[str, Any] = body["data"]["upsertBadge"]
    return payload


async def badge_id(api: Api, creds: TenantCreds, rule: str, goal: int = 1, **extra: Any) -> str:
    payload = await upsert_badge(api, creds, rule, goal, **extra)
    assert payload["userErrors"] == [], payload
    found: str = payload["badge"]["id"]
    return found


async def stored(api: Api, creds: TenantCreds) -> list[Any]:
    return await api.deps.badges.list(creds.slug)


async def test_create_then_replace_keeps_the_id(api: Api, acme: TenantCreds) -> None:
    # given a new badge in Arabic
    created = await upsert_badge(
        api,
        acme,
        "CATEGORY_SPEND",
        500,
        locale="ar",
        category="oud",
        icon="🪔",
        bonusPoints=50,
        description={"ar": "أنفق 500 على العود", "en": "Spend 500 on oud"},
    )
    badge = created["badge"]
    assert created["userErrors"] == []
    assert badge == {
        "id": badge["id"],
        "name": "شارة CATEGORY_SPEND",
        "description": "أنفق 500 على العود",
        "icon": "🪔",
        "rule": "CATEGORY_SPEND",
        "category": "oud",
        "tierId": None,
        "goal": 500,
        "bonusPoints": 50,
        "active": True,
    }
    # when it is replaced (retired)
    replaced = await upsert_badge(
        api, acme, "CATEGORY_SPEND", 800, id=badge["id"], category="oud", active=False
    )
    # then
    assert replaced["badge"]["id"] == badge["id"]
    assert (replaced["badge"]["goal"], replaced["badge"]["active"]) == (800, False)
    assert [(b.id, b.goal) for b in await stored(api, acme)] == [(local(badge["id"]), 800)]


async def test_tier_badge_names_a_tier_of_the_program(api: Api, acme: TenantCreds) -> None:
    # given
    silver, _ = await silver_gold(api, acme)
    # when
    payload = await upsert_badge(api, acme, "TIER_REACHED", tierId=silver)
    # then
    assert payload["badge"]["tierId"] == silver


@pytest.mark.parametrize(
    ("rule", "goal", "extra", "code", "field"),
    [
        ("ORDER_COUNT", 0, {}, "OUT_OF_RANGE", ["input", "goal"]),
        ("ORDER_COUNT", 1_000_001, {}, "OUT_OF_RANGE", ["input", "goal"]),
        ("FIRST_ORDER", 2, {}, "OUT_OF_RANGE", ["input", "goal"]),
        ("MONTHLY_STREAK", 1, {}, "OUT_OF_RANGE", ["input", "goal"]),
        ("CATEGORY_SPEND", 100, {}, "INVALID_INPUT", ["input", "category"]),
        ("CATEGORY_SPEND", 100, {"category": "  "}, "INVALID_INPUT", ["input", "category"]),
        ("TIER_REACHED", 1, {}, "TIER_NOT_FOUND", ["input", "tierId"]),
        ("TIER_REACHED", 1, {"tierId": "t_nope"}, "TIER_NOT_FOUND", ["input", "tierId"]),
        ("ORDER_COUNT", 3, {"bonusPoints": -1}, "OUT_OF_RANGE", ["input", "bonusPoints"]),
        ("ORDER_COUNT", 3, {"name": {"ar": None, "en": ""}}, "INVALID_INPUT", ["input", "name"]),
        ("ORDER_COUNT", 3, {"name": {"en": "x" * 101}}, "TOO_LONG", ["input", "name", "en"]),
        (
            "ORDER_COUNT",
            3,
            {"description": {"ar": "س" * 301}},
            "TOO_LONG",
            ["input", "description", "ar"],
        ),
        ("ORDER_COUNT", 3, {"icon": "i" * 301}, "TOO_LONG", ["input", "icon"]),
        ("ORDER_COUNT", 3, {"id": "b_unknown"}, "BADGE_NOT_FOUND", ["input", "id"]),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    api: Api,
    acme: TenantCreds,
    rule: str,
    goal: int,
    extra: dict[str, Any],
    code: str,
    field: list[str],
) -> None:
    # given one existing badge
    existing = await badge_id(api, acme, "ORDER_COUNT", 5)
    # when
    payload = await upsert_badge(api, acme, rule, goal, **extra)
    # then
    assert payload["badge"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert payload["userErrors"][0]["message"]
    assert [(b.id, b.goal) for b in await stored(api, acme)] == [(local(existing), 5)]


async def test_badges_are_per_tenant_and_admin_only(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given an acme badge
    acme_badge = await badge_id(api, acme, "ORDER_COUNT", 5)
    # when globex tries to replace it by id, or a non-admin calls
    cross = await upsert_badge(api, globex, "ORDER_COUNT", 1, id=acme_badge)
    variables = {"input": {"name": {"en": "x"}, "rule": "FIRST_ORDER"}}
    as_events = await api.gql(UPSERT_BADGE, variables, token=acme.events)
    as_member = await api.gql(UPSERT_BADGE, variables, token=acme.member_token(api, "c1"))
    anonymous = await api.gql(UPSERT_BADGE, variables, tenant=acme.slug)
    # then
    assert [e["code"] for e in cross["userErrors"]] == ["BADGE_NOT_FOUND"]
    assert await stored(api, globex) == []
    assert [(b.id, b.goal) for b in await stored(api, acme)] == [(local(acme_badge), 5)]
    assert as_events["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert as_member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
