"""auditLog (admin): every admin and platform mutation with who (key id and label), what, when
and the before/after of what changed; API keys with labels, created and revoked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.test_upsert_reward import COFFEE, UPSERT
from tests.api.tiers_helpers import upsert_tier

AUDIT = """
query($first: Int, $after: String, $kinds: [AuditKind!], $since: DateTime, $until: DateTime) {
  auditLog(first: $first, after: $after, kinds: $kinds, since: $since, until: $until) {
    edges { cursor node {
      at kind action outcome errorCodes input
      actor { kind keyId label }
      changes { target before after }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
UPDATE_PROGRAM = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) { userErrors { code } } }
"""
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { apiKey { id label scopes revoked } secret userErrors { code } }
}
"""
REVOKE_KEY = """
mutation($id: ID!) { revokeApiKey(id: $id) { apiKeys { id revoked } userErrors { code field } } }
"""
KEYS = "{ apiKeys { id label scopes revoked } }"


async def audit(api: Api, creds: TenantCreds, **variables: Any) -> list[dict[str, Any]]:
    body = await api.gql(AUDIT, variables, token=creds.admin)
    return [edge["node"] for edge in body["data"]["auditLog"]["edges"]]


async def admin_key_id(api: Api, creds: TenantCreds) -> str:
    keys = (await api.gql(KEYS, token=creds.admin))["data"]["apiKeys"]
    key_id: str = next(k["id"] for k in keys if k["label"] == "admin")
    return key_id


async def test_a_program_change_is_recorded_with_who_and_the_fields_that_changed(
    api: Api, acme: TenantCreds
) -> None:
    # when the admin changes the earn rate
    await api.gql(UPDATE_PROGRAM, {"input": {"earnRate": "2.5"}}, token=acme.admin)
    # then
    [entry, created] = await audit(api, acme)
    assert entry == {
        "at": "2026-01-15T12:00:00+00:00",
        "kind": "PROGRAM",
        "action": "updateProgram",
        "outcome": "OK",
        "errorCodes": [],
        "input": {"input": {"earnRate": "2.5"}},
        "actor": {"kind": "merchant", "keyId": await admin_key_id(api, acme), "label": "admin"},
        "changes": [
            {"target": "program", "before": {"earn_rate": "1"}, "after": {"earn_rate": "2.5"}}
        ],
    }
    # and the tenant's creation by the platform is there before it
    assert (created["action"], created["kind"], created["actor"]) == (
        "createTenant",
        "TENANT",
        {"kind": "platform", "keyId": "platform", "label": "platform key"},
    )


async def test_rewards_and_tiers_show_created_then_changed_documents(
    api: Api, acme: TenantCreds
) -> None:
    # given a reward created, then repriced, and a tier created
    body = await api.gql(UPSERT, {"input": COFFEE}, token=acme.admin)
    reward_id = body["data"]["upsertReward"]["reward"]["id"]
    await api.gql(UPSERT, {"input": {**COFFEE, "id": reward_id, "cost": 450}}, token=acme.admin)
    await upsert_tier(api, acme, 1, "500")
    # when
    tier, repriced, created = (await audit(api, acme, kinds=["REWARD", "TIER"]))[:3]
    # then
    assert [c["before"] for c in created["changes"]] == [None]
    assert created["changes"][0]["after"]["cost"] == 500
    assert created["changes"][0]["after"]["name"] == {
        "ar": "خصم القهوة",
        "en": "Coffee discount",
    }
    assert repriced["changes"] == [
        {"target": created["changes"][0]["target"], "before": {"cost": 500}, "after": {"cost": 450}}
    ]
    assert tier["kind"] == "TIER" and tier["changes"][0]["before"] is None
    assert tier["changes"][0]["after"]["threshold"] == "500"


async def test_a_refused_mutation_is_recorded_as_refused_with_no_changes(
    api: Api, acme: TenantCreds
) -> None:
    # when
    await api.gql(UPDATE_PROGRAM, {"input": {"pendingDays": 9999}}, token=acme.admin)
    # then
    [entry] = await audit(api, acme, kinds=["PROGRAM"])
    assert (entry["outcome"], entry["errorCodes"], entry["changes"]) == (
        "REFUSED",
        ["OUT_OF_RANGE"],
        [],
    )


async def test_the_key_that_acted_is_named_by_its_label(api: Api, acme: TenantCreds) -> None:
    # given a second admin key for the console
    body = await api.gql(
        CREATE_KEY, {"input": {"label": "Console: Sara", "scopes": ["ADMIN"]}}, token=acme.admin
    )
    created = body["data"]["createApiKey"]
    assert created["apiKey"]["label"] == "Console: Sara" and created["secret"].startswith("lk_")
    # when that key changes the program
    await api.gql(UPDATE_PROGRAM, {"input": {"pendingDays": 7}}, token=created["secret"])
    # then the log names that key, and the key's creation shows no secret
    change, key = (await audit(api, acme))[:2]
    assert change["actor"] == {
        "kind": "merchant",
        "keyId": created["apiKey"]["id"],
        "label": "Console: Sara",
    }
    assert key["kind"] == "KEY" and key["action"] == "createApiKey"
    [new_key] = key["changes"]
    assert (new_key["target"], new_key["before"]) == (created["apiKey"]["id"], None)
    assert new_key["after"]["label"] == "Console: Sara"
    assert created["secret"] not in str(key)


async def test_a_revoked_key_no_longer_works_and_the_last_admin_key_stays(
    api: Api, acme: TenantCreds
) -> None:
    # given a second admin key
    body = await api.gql(
        CREATE_KEY, {"input": {"label": "CI", "scopes": ["ADMIN"]}}, token=acme.admin
    )
    extra = body["data"]["createApiKey"]
    # when it is revoked
    body = await api.gql(REVOKE_KEY, {"id": extra["apiKey"]["id"]}, token=acme.admin)
    # then it is refused from now on
    assert body["data"]["revokeApiKey"]["userErrors"] == []
    refused = await api.gql(KEYS, token=extra["secret"])
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # and the last admin key cannot be revoked
    body = await api.gql(REVOKE_KEY, {"id": await admin_key_id(api, acme)}, token=acme.admin)
    assert body["data"]["revokeApiKey"] == {
        "apiKeys": None,
        "userErrors": [{"code": "LAST_KEY", "field": ["id"]}],
    }
    # and the revocation is in the log with its before/after
    [revoked] = [e for e in await audit(api, acme, kinds=["KEY"]) if e["outcome"] == "OK"][:1]
    assert revoked["action"] == "revokeApiKey"
    assert revoked["changes"] == [
        {"target": extra["apiKey"]["id"], "before": {"revoked": False}, "after": {"revoked": True}}
    ]


async def test_member_and_events_calls_are_not_admin_mutations(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "alice")
    before = await audit(api, acme)
    # when a member and the events key act
    await api.gql(
        'mutation { updateProfile(input: { displayName: "A" }) { userErrors { code } } }',
        token=acme.member_token(api, "alice"),
    )
    await api.gql(
        'mutation { enrollMember(input: { externalId: "bob" }) { userErrors { code } } }',
        token=acme.events,
    )
    # then nothing was added
    assert await audit(api, acme) == before


async def test_the_log_filters_by_kind_and_time_and_pages_newest_first(
    api: Api, acme: TenantCreds
) -> None:
    # given three program changes a day apart
    for days in (7, 8, 9):
        await api.gql(UPDATE_PROGRAM, {"input": {"pendingDays": days}}, token=acme.admin)
        api.clock.advance(timedelta(days=1))
    # when read one at a time
    first = await api.gql(AUDIT, {"first": 1, "kinds": ["PROGRAM"]}, token=acme.admin)
    page = first["data"]["auditLog"]
    second = await api.gql(
        AUDIT,
        {"first": 1, "kinds": ["PROGRAM"], "after": page["pageInfo"]["endCursor"]},
        token=acme.admin,
    )
    # then newest first, and the cursor goes on from there
    newest = page["edges"][0]["node"]
    assert newest["input"] == {"input": {"pendingDays": 9}}
    assert page["pageInfo"]["hasNextPage"] is True
    assert second["data"]["auditLog"]["edges"][0]["node"]["input"] == {"input": {"pendingDays": 8}}
    # and a time window keeps only what happened in it
    window = await audit(
        api,
        acme,
        kinds=["PROGRAM"],
        since="2026-01-16T00:00:00Z",
        until="2026-01-17T00:00:00Z",
    )
    assert [e["input"] for e in window] == [{"input": {"pendingDays": 8}}]


async def test_each_tenant_reads_only_its_own_log(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # when acme changes its program
    await api.gql(UPDATE_PROGRAM, {"input": {"pendingDays": 7}}, token=acme.admin)
    # then globex's log holds only its own creation
    assert [e["action"] for e in await audit(api, globex)] == ["createTenant"]
    # and a member token may not read any log
    body = await api.gql(AUDIT, {}, token=acme.member_token(api, "alice"))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_another_tenants_key_can_be_neither_listed_nor_revoked(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    acme_key = await admin_key_id(api, acme)
    # when globex tries to revoke acme's admin key
    body = await api.gql(REVOKE_KEY, {"id": acme_key}, token=globex.admin)
    # then it is unknown there, and acme's key still works
    assert body["data"]["revokeApiKey"]["userErrors"] == [
        {"code": "KEY_NOT_FOUND", "field": ["id"]}
    ]
    listed = (await api.gql(KEYS, token=globex.admin))["data"]["apiKeys"]
    assert acme_key not in [k["id"] for k in listed]
    assert sorted(k["label"] for k in listed) == ["admin", "events"]
    mine = (await api.gql(KEYS, token=acme.admin))["data"]["apiKeys"]
    assert [k["revoked"] for k in mine if k["id"] == acme_key] == [False]
