"""updateNotificationPreferences: opt-outs by category and quiet hours, set as a pair."""

from __future__ import annotations

from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.push_helpers import set_prefs

READ = "{ notificationPreferences { optedOut quietHoursStart quietHoursEnd } }"
DEFAULT = {"optedOut": [], "quietHoursStart": 1320, "quietHoursEnd": 480}


async def read(api: Api, creds: TenantCreds, member: str) -> dict[str, object]:
    body = await api.gql(READ, token=creds.member_token(api, member))
    prefs: dict[str, object] = body["data"]["notificationPreferences"]
    return prefs


async def test_defaults_then_changes_only_what_is_given(api: Api, acme: TenantCreds) -> None:
    await enroll(api, acme, "c1")
    assert await read(api, acme, "c1") == DEFAULT
    payload = await set_prefs(api, acme, "c1", optedOut=["MARKETING", "TIER"])
    assert payload["userErrors"] == []
    expected = {**DEFAULT, "optedOut": ["MARKETING", "TIER"]}
    assert payload["preferences"] == expected
    payload = await set_prefs(api, acme, "c1", quietHoursStart=None, quietHoursEnd=None)
    expected = {**expected, "quietHoursStart": None, "quietHoursEnd": None}
    assert payload["preferences"] == expected
    assert await read(api, acme, "c1") == expected


async def test_bad_quiet_hours_are_refused_and_change_nothing(api: Api, acme: TenantCreds) -> None:
    await enroll(api, acme, "c1")
    for prefs, code, field in [
        ({"quietHoursStart": 1440}, "OUT_OF_RANGE", ["input", "quietHoursStart"]),
        ({"quietHoursEnd": -1}, "OUT_OF_RANGE", ["input", "quietHoursEnd"]),
        ({"quietHoursEnd": None}, "INVALID_INPUT", ["input", "quietHoursEnd"]),
    ]:
        payload = await set_prefs(api, acme, "c1", **prefs)
        assert payload["preferences"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await read(api, acme, "c1") == DEFAULT


async def test_members_only_see_their_own_preferences(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    await set_prefs(api, acme, "c1", optedOut=["MARKETING"])
    assert await read(api, acme, "c2") == DEFAULT
    assert await read(api, globex, "c1") == DEFAULT
    body = await api.gql(READ, token=acme.admin)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
