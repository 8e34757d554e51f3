"""upsertCharity (admin), charities (public), donatePoints (member token, once per key), and
the merchant's donation totals in stats."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, TenantCreds, admin_wallet, enroll, give_points

UPSERT = """
mutation($input: CharityInput!) {
  upsertCharity(input: $input) {
    charity { id name logoUrl active }
    userErrors { code field }
  }
}
"""

CHARITIES = "{ charities { id name logoUrl active } }"

DONATE = """
mutation($input: DonatePointsInput!) {
  donatePoints(input: $input) { wallet { balance } userErrors { code field message } }
}
"""

STATS = """
query($from: DateTime!, $to: DateTime!) {
  stats(from: $from, to: $to) { charityDonations { charity { name } points donations } }
}
"""

FIELDS = "type kind points balanceAfter reason"
ENSAN = {"name": {"ar": "جمعية إنسان", "en": "Ensan"}, "logoUrl": "https://ensan.org/logo.png"}


async def upsert(api: Api, creds: TenantCreds, **fields: Any) -> dict[str, Any]:
    body = await api.gql(UPSERT, {"input": fields}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["upsertCharity"]
    return payload


async def new_charity(api: Api, creds: TenantCreds, **fields: Any) -> str:
    payload = await upsert(api, creds, **{**ENSAN, **fields})
    assert payload["userErrors"] == [], payload
    charity_id: str = payload["charity"]["id"]
    return charity_id


async def donate(
    api: Api, creds: TenantCreds, charity_id: str, points: int, key: str, member: str = "alice"
) -> dict[str, Any]:
    variables = {"input": {"charityId": charity_id, "points": points, "idempotencyKey": key}}
    body = await api.gql(DONATE, variables, token=creds.member_token(api, member))
    payload: dict[str, Any] = body["data"]["donatePoints"]
    return payload


async def test_a_charity_is_created_and_listed_publicly_in_the_readers_language(
    api: Api, acme: TenantCreds
) -> None:
    # when
    charity_id = await new_charity(api, acme)
    # then members and the public see it, named in their language
    body = await api.gql(CHARITIES, tenant="acme", locale="ar")
    assert body["data"]["charities"] == [
        {
            "id": charity_id,
            "name": "جمعية إنسان",
            "logoUrl": "https://ensan.org/logo.png",
            "active": True,
        }
    ]


async def test_an_inactive_charity_is_hidden_from_members_but_not_from_the_admin(
    api: Api, acme: TenantCreds
) -> None:
    # given
    charity_id = await new_charity(api, acme)
    # when it is switched off
    payload = await upsert(api, acme, id=charity_id, active=False, **ENSAN)
    # then
    assert payload["charity"]["active"] is False
    assert (await api.gql(CHARITIES, tenant="acme"))["data"]["charities"] == []
    listed = (await api.gql(CHARITIES, token=acme.admin))["data"]["charities"]
    assert [c["id"] for c in listed] == [charity_id]


async def test_a_logo_must_be_https_and_a_name_is_required(api: Api, acme: TenantCreds) -> None:
    # when
    insecure = await upsert(api, acme, name={"en": "Ensan"}, logoUrl="http://ensan.org/l.png")
    nameless = await upsert(api, acme, name={"ar": " ", "en": ""})
    # then
    assert insecure == {
        "charity": None,
        "userErrors": [{"code": "INSECURE_URL", "field": ["input", "logoUrl"]}],
    }
    assert nameless["userErrors"] == [{"code": "INVALID_INPUT", "field": ["input", "name"]}]
    assert (await api.gql(CHARITIES, token=acme.admin))["data"]["charities"] == []


async def test_another_tenants_charity_cannot_be_edited(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    charity_id = await new_charity(api, acme)
    payload = await upsert(api, globex, id=charity_id, **ENSAN)
    assert payload["userErrors"] == [{"code": "CHARITY_NOT_FOUND", "field": ["input", "id"]}]
    assert (await api.gql(CHARITIES, token=globex.admin))["data"]["charities"] == []


async def test_a_donation_leaves_the_wallet_and_shows_in_history_once_per_key(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "alice")
    await give_points(api, acme, "alice", 100, "seed")
    charity_id = await new_charity(api, acme)
    # when the same donation is sent twice
    first = await donate(api, acme, charity_id, 30, "d1")
    again = await donate(api, acme, charity_id, 30, "d1")
    # then it counted once, and the member reads it in history
    assert first == again == {"wallet": {"balance": 70}, "userErrors": []}
    balance, _, _, history = await admin_wallet(api, acme, "alice", FIELDS)
    assert balance == 70
    assert history[0] == {
        "type": "TRANSFER",
        "kind": "DONATE",
        "points": -30,
        "balanceAfter": 70,
        "reason": "Donation to Ensan",
    }
    body = await api.gql(
        "{ me { wallet { transactions(first: 1) { edges { node { reason } } } } } }",
        token=acme.member_token(api, "alice"),
        locale="ar",
    )
    reason = body["data"]["me"]["wallet"]["transactions"]["edges"][0]["node"]["reason"]
    assert reason == "تبرّع لـ«\u2068جمعية إنسان\u2069»"


async def _refused(
    api: Api, creds: TenantCreds, charity_id: str, points: int, code: str, field: list[str] | None
) -> None:
    before = await admin_wallet(api, creds, "alice", FIELDS)
    payload = await donate(api, creds, charity_id, points, "k")
    assert payload["wallet"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await admin_wallet(api, creds, "alice", FIELDS) == before


async def test_refused_donations_change_nothing(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given alice with 100 points, an inactive charity and another tenant's charity
    await enroll(api, acme, "alice")
    await give_points(api, acme, "alice", 100, "seed")
    active = await new_charity(api, acme)
    inactive = await new_charity(api, acme, active=False)
    foreign = await new_charity(api, globex)
    # when / then
    await _refused(api, acme, inactive, 10, "CHARITY_INACTIVE", ["input", "charityId"])
    await _refused(api, acme, foreign, 10, "CHARITY_NOT_FOUND", ["input", "charityId"])
    await _refused(api, acme, "ch_nothing", 10, "CHARITY_NOT_FOUND", ["input", "charityId"])
    await _refused(api, acme, active, 101, "INSUFFICIENT_POINTS", None)
    await _refused(api, acme, active, 0, "INVALID_POINTS", ["input", "points"])


async def test_the_merchant_sees_totals_per_charity_in_stats(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given two members donating to two charities, and a donation in another tenant
    for member in ("alice", "bob"):
        await enroll(api, acme, member)
        await give_points(api, acme, member, 100, f"seed-{member}")
    ensan = await new_charity(api, acme)
    food = await new_charity(api, acme, name={"en": "Food bank"}, logoUrl=None)
    await donate(api, acme, ensan, 30, "a1")
    await donate(api, acme, ensan, 20, "b1", member="bob")
    await donate(api, acme, food, 60, "a2")
    await enroll(api, globex, "gina")
    await give_points(api, globex, "gina", 100, "seed")
    await donate(api, globex, await new_charity(api, globex), 99, "g1", member="gina")
    # when
    body = await api.gql(
        STATS, {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}, token=acme.admin
    )
    # then
    assert body["data"]["stats"]["charityDonations"] == [
        {"charity": {"name": "Food bank"}, "points": 60, "donations": 1},
        {"charity": {"name": "Ensan"}, "points": 50, "donations": 2},
    ]
