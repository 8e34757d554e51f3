"""updateProgram: the push settings (expiry reminder days, win-back inactivity, marketing cap)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.test_update_program import refused

UPDATE = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
  program { reminderDays inactivityDays dailyMarketingCap }
  userErrors { code field message } } }
"""
READ = "{ program { reminderDays inactivityDays dailyMarketingCap } }"
DEFAULTS = {"reminderDays": [30, 7, 1], "inactivityDays": 90, "dailyMarketingCap": 2}


async def update(api: Api, creds: TenantCreds, changes: dict[str, Any]) -> dict[str, Any]:
    body = await api.gql(UPDATE, {"input": changes}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["updateProgram"]
    return payload


async def read(api: Api, creds: TenantCreds) -> dict[str, Any]:
    body = await api.gql(READ, tenant=creds.slug)
    result: dict[str, Any] = body["data"]["program"]
    return result


async def test_defaults_then_changes_are_stored_and_used(api: Api, acme: TenantCreds) -> None:
    assert await read(api, acme) == DEFAULTS
    payload = await update(
        api, acme, {"reminderDays": [3, 14], "inactivityDays": 30, "dailyMarketingCap": 0}
    )
    expected = {"reminderDays": [14, 3], "inactivityDays": 30, "dailyMarketingCap": 0}
    assert payload == {"program": expected, "userErrors": []}
    assert await read(api, acme) == expected
    tenant = await api.deps.tenants.get("acme")
    assert tenant is not None and tenant.program.reminder_days == (14, 3)


async def test_an_empty_list_turns_reminders_off(api: Api, acme: TenantCreds) -> None:
    payload = await update(api, acme, {"reminderDays": []})
    assert payload["program"]["reminderDays"] == []


async def test_other_settings_stay_when_one_changes(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    await update(api, acme, {"dailyMarketingCap": 5})
    assert await read(api, acme) == {**DEFAULTS, "dailyMarketingCap": 5}
    assert await read(api, globex) == DEFAULTS  # another tenant is untouched


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"reminderDays": [0]}, "OUT_OF_RANGE", ["input", "reminderDays", "0"]),
        ({"reminderDays": [30, 366]}, "OUT_OF_RANGE", ["input", "reminderDays", "1"]),
        ({"reminderDays": [1, 2, 3, 4, 5, 6]}, "OUT_OF_RANGE", ["input", "reminderDays"]),
        ({"reminderDays": [7, 3, 7]}, "DUPLICATE_VALUE", ["input", "reminderDays", "2"]),
        ({"inactivityDays": 6}, "OUT_OF_RANGE", ["input", "inactivityDays"]),
        ({"inactivityDays": 731}, "OUT_OF_RANGE", ["input", "inactivityDays"]),
        ({"dailyMarketingCap": -1}, "OUT_OF_RANGE", ["input", "dailyMarketingCap"]),
        ({"dailyMarketingCap": 21}, "OUT_OF_RANGE", ["input", "dailyMarketingCap"]),
        # a good value next to a bad one is not applied either
        (
            {"dailyMarketingCap": 3, "inactivityDays": 1},
            "OUT_OF_RANGE",
            ["input", "inactivityDays"],
        ),
    ],
)
async def test_bad_values_are_refused_and_change_nothing(
    api: Api, acme: TenantCreds, changes: dict[str, Any], code: str, field: list[str]
) -> None:
    payload = await update(api, acme, changes)
    assert refused(payload) == (code, field)
    assert await read(api, acme) == DEFAULTS


async def test_the_refusal_is_localized(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(UPDATE, {"input": {"reminderDays": [7, 7]}}, token=acme.admin, locale="ar")
    assert body["data"]["updateProgram"]["userErrors"][0]["message"] == (
        "القيمة 7 مكررة. أدخل كل قيمة مرة واحدة."
    )


async def test_members_and_anonymous_callers_cannot_change_them(
    api: Api, acme: TenantCreds
) -> None:
    member = await api.gql(
        UPDATE, {"input": {"dailyMarketingCap": 9}}, token=acme.member_token(api, "c1")
    )
    assert member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await api.gql(UPDATE, {"input": {"dailyMarketingCap": 9}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await read(api, acme) == DEFAULTS
