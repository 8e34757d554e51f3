"""eraseMember and memberExport (admin): personal data goes, the ledger's amounts stay under a
pseudonym (liability and reports unchanged), the identity does not come back by itself."""

from __future__ import annotations

import json
from typing import Any

from loyalty.notifications import Notification, NotificationKind
from tests.api.conftest import ENROLL, Api, TenantCreds, admin_wallet, enroll, give_points
from tests.api.members_helpers import profile
from tests.api.push_helpers import register

ERASE = """
mutation($id: ID!) {
  eraseMember(externalId: $id) { pseudonym alreadyErased userErrors { code field } }
}
"""
EXPORT = "query($id: ID!) { memberExport(externalId: $id) { exportedAt data } }"
MEMBER = "query($id: ID!) { member(externalId: $id) { externalId displayName } }"
STATS = """
{ stats(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") {
    outstandingPoints outstandingLiability pointsAdjusted } }
"""
AUDIT = """
query($kinds: [AuditKind!]) {
  auditLog(first: 20, kinds: $kinds) { edges { node { action kind input actor { label } } } }
}
"""
PERSONAL = ("Sara Ahmed", "sara@example.com", "+966501234567", "alice")


async def erase(api: Api, creds: TenantCreds, external_id: str) -> dict[str, Any]:
    body = await api.gql(ERASE, {"id": external_id}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["eraseMember"]
    return payload


async def export(api: Api, creds: TenantCreds, external_id: str) -> dict[str, Any]:
    body = await api.gql(EXPORT, {"id": external_id}, token=creds.admin)
    data: dict[str, Any] = body["data"]["memberExport"]["data"]
    return data


async def alice_with_history(api: Api, creds: TenantCreds) -> None:
    """Alice with a profile, a device, points (one adjustment naming her) and a push."""
    await enroll(api, creds, "alice")
    await profile(
        api,
        creds,
        "alice",
        displayName="Sara Ahmed",
        email="sara@example.com",
        phone="+966501234567",
    )
    await register(api, creds, "alice", "device-token-1")
    await give_points(api, creds, "alice", 120, "seed")
    await api.gql(
        """mutation { adjustPoints(input: { memberExternalId: "alice", points: -20,
           reason: "Sorry Sara Ahmed", idempotencyKey: "fix" }) { userErrors { code } } }""",
        token=creds.admin,
    )
    member = await api.deps.members.get_by_external_id(creds.slug, "alice")
    assert member is not None
    now = api.clock.now()
    await api.deps.outbox.enqueue(
        Notification(
            creds.slug,
            member.id,
            NotificationKind.CAMPAIGN,
            f"c1:{member.id}",
            "en",
            "Hello Sara Ahmed",
            "Your 100 points await, Sara Ahmed",
            now,
            now,
        )
    )


async def test_export_returns_everything_held_about_the_member(api: Api, acme: TenantCreds) -> None:
    # given
    await alice_with_history(api, acme)
    # when
    data = await export(api, acme, "alice")
    # then
    assert data["format"] == "loyalty.member-export/1"
    assert data["tenant"] == "acme"
    assert data["member"]["display_name"] == "Sara Ahmed"
    assert data["member"]["email"] == "sara@example.com"
    assert data["wallet"]["balance"] == 100
    assert [e["points"] for e in data["ledger"]] == [120, -20]
    assert [d["token"] for d in data["devices"]] == ["device-token-1"]
    assert [n["title"] for n in data["outbox"]] == ["Hello Sara Ahmed"]
    # and the export is in the audit log, naming no customer id
    body = await api.gql(AUDIT, {"kinds": ["PRIVACY"]}, token=acme.admin)
    nodes = [e["node"] for e in body["data"]["auditLog"]["edges"]]
    assert [(n["action"], n["actor"]["label"]) for n in nodes] == [("memberExport", "admin")]
    assert "alice" not in json.dumps(nodes)


async def test_erasure_removes_personal_data_and_keeps_the_amounts(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await alice_with_history(api, acme)
    ledger_before = (await export(api, acme, "alice"))["ledger"]
    stats_before = (await api.gql(STATS, token=acme.admin))["data"]["stats"]
    # when
    payload = await erase(api, acme, "alice")
    # then the member is known only by the pseudonym
    pseudonym = payload["pseudonym"]
    assert payload == {"pseudonym": pseudonym, "alreadyErased": False, "userErrors": []}
    assert pseudonym.startswith("erased-")
    assert (await api.gql(MEMBER, {"id": "alice"}, token=acme.admin))["data"]["member"] is None
    # and nothing personal is left in what is held
    data = await export(api, acme, pseudonym)
    text = json.dumps(data, ensure_ascii=False)
    for value in PERSONAL:
        assert value not in text, value
    assert data["member"]["display_name"] is None and data["member"]["search_keys"] == []
    assert data["devices"] == []
    assert [(n["title"], n["body"]) for n in data["outbox"]] == [("", "")]
    # and the amounts are what they were: same entries, same sums, same liability
    amounts = ("seq", "type", "points", "balance_delta", "balance_after", "created_at")
    assert [{k: e[k] for k in amounts} for e in data["ledger"]] == [
        {k: e[k] for k in amounts} for e in ledger_before
    ]
    assert data["wallet"]["balance"] == sum(e["balance_delta"] for e in data["ledger"]) == 100
    assert (await api.gql(STATS, token=acme.admin))["data"]["stats"] == stats_before
    # and the adjustment's note naming her reads as a plain adjustment now
    history = (await admin_wallet(api, acme, pseudonym, "points reason"))[3]
    assert history == [
        {"points": -20, "reason": "Manual adjustment"},
        {"points": 120, "reason": "Manual adjustment"},
    ]


async def test_the_audit_log_keeps_no_customer_id_of_an_erased_member(
    api: Api, acme: TenantCreds
) -> None:
    # given admin mutations that named alice
    await alice_with_history(api, acme)
    # when
    pseudonym = (await erase(api, acme, "alice"))["pseudonym"]
    # then they are still there, naming the pseudonym instead
    body = await api.gql(AUDIT, {"kinds": ["MEMBER", "PRIVACY"]}, token=acme.admin)
    nodes = [e["node"] for e in body["data"]["auditLog"]["edges"]]
    assert [n["action"] for n in nodes] == [
        "eraseMember",
        "adjustPoints",
        "adjustPoints",
        "enrollMember",
    ]
    assert all(n["input"] == {"member": pseudonym} for n in nodes)
    assert "alice" not in json.dumps(nodes)


async def test_erasing_twice_answers_the_same_and_unknown_members_are_refused(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await alice_with_history(api, acme)
    first = await erase(api, acme, "alice")
    # when
    again = await erase(api, acme, "alice")
    unknown = await erase(api, acme, "nobody")
    foreign = await erase(api, globex, "alice")
    # then
    assert again == {**first, "alreadyErased": True}
    assert (
        unknown
        == foreign
        == {
            "pseudonym": None,
            "alreadyErased": None,
            "userErrors": [{"code": "MEMBER_NOT_FOUND", "field": ["externalId"]}],
        }
    )


async def test_another_tenants_admin_cannot_erase_or_export(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await alice_with_history(api, acme)
    # when
    body = await api.gql(EXPORT, {"id": "alice"}, token=globex.admin)
    await erase(api, globex, "alice")
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "MEMBER_NOT_FOUND"
    assert (await export(api, acme, "alice"))["member"]["email"] == "sara@example.com"


async def test_an_erased_identity_does_not_come_back_until_the_merchant_enrols_it(
    api: Api, acme: TenantCreds
) -> None:
    # given alice was erased
    await alice_with_history(api, acme)
    pseudonym = (await erase(api, acme, "alice"))["pseudonym"]
    # when her app signs in again with a new token for the same customer id
    body = await api.gql("{ me { externalId } }", token=acme.member_token(api, "alice"))
    # then it is refused
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # and the store's sync (events key) does not bring her back either
    body = await api.gql(ENROLL, {"id": "alice"}, token=acme.events)
    assert body["data"]["enrollMember"]["userErrors"] == [{"code": "MEMBER_ERASED"}]
    # but the merchant's admin key enrols her afresh: a new, empty member
    body = await api.gql(ENROLL, {"id": "alice"}, token=acme.admin)
    assert body["data"]["enrollMember"] == {"member": {"externalId": "alice"}, "userErrors": []}
    assert (await admin_wallet(api, acme, "alice", "points"))[0] == 0
    assert (await api.gql("{ me { externalId } }", token=acme.member_token(api, "alice")))[
        "data"
    ] == {"me": {"externalId": "alice"}}
    # and the erased record stays apart, with its points
    assert (await admin_wallet(api, acme, pseudonym, "points"))[0] == 100
