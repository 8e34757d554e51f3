"""registerDevice / unregisterDevice: several devices per member, refresh, moving tokens."""

from __future__ import annotations

from typing import Any

from loyalty.ports import Deps
from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.push_helpers import register

UNREGISTER = """
mutation($token: String!) { unregisterDevice(token: $token) {
  removed userErrors { code field message } } }
"""


async def tokens(deps: Deps, tenant: str, member: str) -> list[str]:
    found = await deps.members.get_by_external_id(tenant, member)
    assert found is not None
    return sorted(d.token for d in await deps.devices.for_member(tenant, found.id))


async def unregister(api: Api, creds: TenantCreds, member: str, token: str) -> dict[str, Any]:
    body = await api.gql(UNREGISTER, {"token": token}, token=creds.member_token(api, member))
    payload: dict[str, Any] = body["data"]["unregisterDevice"]
    return payload


async def test_a_member_registers_several_devices(api: Api, acme: TenantCreds, deps: Deps) -> None:
    # when
    first = await register(api, acme, "c1", "tok-a", timezone="Asia/Riyadh", locale="ar")
    await register(api, acme, "c1", "tok-b", platform="IOS")
    # then
    assert first == {
        "device": {
            "token": "tok-a",
            "platform": "ANDROID",
            "locale": "ar",
            "timezone": "Asia/Riyadh",
        },
        "userErrors": [],
    }
    assert await tokens(deps, "acme", "c1") == ["tok-a", "tok-b"]


async def test_registering_again_is_idempotent(api: Api, acme: TenantCreds, deps: Deps) -> None:
    await register(api, acme, "c1", "tok-a")
    await register(api, acme, "c1", "tok-a")
    assert await tokens(deps, "acme", "c1") == ["tok-a"]


async def test_a_refreshed_token_replaces_the_old_one(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await register(api, acme, "c1", "tok-old")
    payload = await register(api, acme, "c1", "tok-new", replacesToken="tok-old")
    assert payload["userErrors"] == []
    assert await tokens(deps, "acme", "c1") == ["tok-new"]


async def test_a_token_moves_to_the_member_who_registers_it(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await register(api, acme, "c1", "tok-shared")
    await register(api, acme, "c2", "tok-shared")
    assert await tokens(deps, "acme", "c1") == []
    assert await tokens(deps, "acme", "c2") == ["tok-shared"]


async def test_a_refresh_cannot_remove_another_members_token(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await register(api, acme, "c1", "tok-c1")
    await register(api, acme, "c2", "tok-c2", replacesToken="tok-c1")
    assert await tokens(deps, "acme", "c1") == ["tok-c1"]


async def test_bad_input_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await enroll(api, acme, "c1")
    cases = [
        ({"timezone": "Mars/Olympus"}, "tok-a", "INVALID_TIMEZONE", ["input", "timezone"]),
        ({"locale": "fr"}, "tok-a", "INVALID_LOCALE", ["input", "locale"]),
        ({}, "  ", "INVALID_INPUT", ["input", "token"]),
        ({}, "x" * 5000, "INVALID_INPUT", ["input", "token"]),
    ]
    for extra, token, code, field in cases:
        payload = await register(api, acme, "c1", token, **extra)
        assert payload["device"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
        assert payload["userErrors"][0]["message"]
    assert await tokens(deps, "acme", "c1") == []


async def test_unregister_removes_only_the_callers_own_device(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await register(api, acme, "c1", "tok-c1")
    await register(api, acme, "c2", "tok-c2")
    # when c2 tries to remove c1's token: not found, nothing changes
    refused = await unregister(api, acme, "c2", "tok-c1")
    assert refused["removed"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("DEVICE_NOT_FOUND", ["token"])
    ]
    assert await tokens(deps, "acme", "c1") == ["tok-c1"]
    # when c1 removes it
    assert await unregister(api, acme, "c1", "tok-c1") == {"removed": True, "userErrors": []}
    assert await tokens(deps, "acme", "c1") == []
    assert await tokens(deps, "acme", "c2") == ["tok-c2"]


async def test_tenants_are_isolated(
    api: Api, acme: TenantCreds, globex: TenantCreds, deps: Deps
) -> None:
    # the same token in two tenants is two devices; unregistering in one leaves the other
    await register(api, acme, "c1", "tok-x")
    await register(api, globex, "c1", "tok-x")
    refused = await unregister(api, globex, "c2", "tok-x")
    assert refused["userErrors"][0]["code"] == "DEVICE_NOT_FOUND"
    assert await unregister(api, globex, "c1", "tok-x") == {"removed": True, "userErrors": []}
    assert await tokens(deps, "acme", "c1") == ["tok-x"]
    assert await tokens(deps, "globex", "c1") == []


async def test_only_members_may_register(api: Api, acme: TenantCreds) -> None:
    query = 'mutation { registerDevice(input: {token: "t", platform: IOS}) { device { token } } }'
    body = await api.gql(query, token=acme.admin)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.gql(query, tenant="acme")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
