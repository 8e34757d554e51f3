"""transferPoints: a member sends points to another member of the same program, once per key,
within the program's limits, both wallets or neither."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds, admin_wallet, enroll, give_points

TRANSFER = """
mutation($input: TransferPointsInput!) {
  transferPoints(input: $input) {
    wallet { balance }
    transfer { points status }
    userErrors { code field message }
  }
}
"""

UPDATE_GIFTING = """
mutation($gifting: GiftingPolicyInput!) {
  updateProgram(input: { gifting: $gifting }) {
    program { gifting { transfersEnabled dailyCap minAccountDays } }
    userErrors { code field }
  }
}
"""

FIELDS = "type kind points balanceAfter reason"


async def enable(
    api: Api, creds: TenantCreds, *, daily_cap: int | None = None, min_days: int = 0
) -> dict[str, Any]:
    gifting = {"transfersEnabled": True, "dailyCap": daily_cap, "minAccountDays": min_days}
    body = await api.gql(UPDATE_GIFTING, {"gifting": gifting}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["updateProgram"]
    assert payload["userErrors"] == [], payload
    return payload


async def transfer(
    api: Api,
    creds: TenantCreds,
    sender: str,
    to: str,
    points: int,
    key: str,
    locale: str | None = None,
) -> dict[str, Any]:
    variables = {"input": {"toMemberExternalId": to, "points": points, "idempotencyKey": key}}
    body = await api.gql(TRANSFER, variables, token=creds.member_token(api, sender), locale=locale)
    payload: dict[str, Any] = body["data"]["transferPoints"]
    return payload


async def wallets(api: Api, creds: TenantCreds, *members: str) -> list[Any]:
    return [await admin_wallet(api, creds, m, FIELDS) for m in members]


async def two_members(api: Api, creds: TenantCreds, points: int = 100) -> None:
    await enroll(api, creds, "alice")
    await enroll(api, creds, "bob")
    await give_points(api, creds, "alice", points, "seed-alice")


async def test_points_move_from_sender_to_recipient(api: Api, acme: TenantCreds) -> None:
    # given
    await two_members(api, acme)
    await enable(api, acme)
    # when
    payload = await transfer(api, acme, "alice", "bob", 30, "t1")
    # then
    assert payload == {
        "wallet": {"balance": 70},
        "transfer": {"points": 30, "status": "COMPLETED"},
        "userErrors": [],
    }
    alice, bob = await wallets(api, acme, "alice", "bob")
    # the contract's TRANSFER type, signed; the ledger's own type in `kind`
    assert alice[0] == 70 and alice[3][0] == {
        "type": "TRANSFER",
        "kind": "TRANSFER_OUT",
        "points": -30,
        "balanceAfter": 70,
        "reason": "Points sent as a gift",
    }
    assert bob[:3] == (30, 0, 30)
    assert bob[3] == [
        {
            "type": "TRANSFER",
            "kind": "TRANSFER_IN",
            "points": 30,
            "balanceAfter": 30,
            "reason": "Points received as a gift",
        }
    ]
    assert await api.database.db["transfers"].count_documents({"status": "COMPLETED"}) == 1


async def test_a_repeated_key_answers_the_same_and_moves_nothing_more(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await two_members(api, acme)
    await enable(api, acme)
    first = await transfer(api, acme, "alice", "bob", 30, "t1")
    # when
    again = await transfer(api, acme, "alice", "bob", 30, "t1")
    # then
    assert again == first
    alice, bob = await wallets(api, acme, "alice", "bob")
    assert (alice[0], bob[0]) == (70, 30)
    assert len(bob[3]) == 1


async def test_a_key_reused_for_another_transfer_is_a_conflict(api: Api, acme: TenantCreds) -> None:
    # given
    await two_members(api, acme)
    await enable(api, acme)
    await transfer(api, acme, "alice", "bob", 30, "t1")
    before = await wallets(api, acme, "alice", "bob")
    # when
    payload = await transfer(api, acme, "alice", "bob", 40, "t1")
    # then
    assert [e["code"] for e in payload["userErrors"]] == ["IDEMPOTENCY_CONFLICT"]
    assert await wallets(api, acme, "alice", "bob") == before


async def _refused(
    api: Api, creds: TenantCreds, to: str, points: int, code: str, field: list[str] | None
) -> None:
    before = await wallets(api, creds, "alice", "bob")
    payload = await transfer(api, creds, "alice", to, points, "k")
    assert payload["wallet"] is None and payload["transfer"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert payload["userErrors"][0]["message"]
    assert await wallets(api, creds, "alice", "bob") == before
    assert await api.database.db["transfers"].count_documents({}) == 0


async def test_transfers_are_off_by_default(api: Api, acme: TenantCreds) -> None:
    # given a program that never turned gifting on
    await two_members(api, acme)
    # when / then
    await _refused(api, acme, "bob", 10, "TRANSFERS_DISABLED", None)


async def test_sending_to_oneself_is_refused(api: Api, acme: TenantCreds) -> None:
    await two_members(api, acme)
    await enable(api, acme)
    await _refused(api, acme, "alice", 10, "SELF_TRANSFER", ["input", "toMemberExternalId"])


async def test_an_unknown_recipient_is_refused(api: Api, acme: TenantCreds) -> None:
    await two_members(api, acme)
    await enable(api, acme)
    await _refused(api, acme, "nobody", 10, "RECIPIENT_NOT_FOUND", ["input", "toMemberExternalId"])


async def test_a_member_of_another_program_is_no_recipient(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given carol exists only in globex
    await two_members(api, acme)
    await enable(api, acme)
    await enroll(api, globex, "carol")
    # when / then
    await _refused(api, acme, "carol", 10, "RECIPIENT_NOT_FOUND", ["input", "toMemberExternalId"])
    assert (await admin_wallet(api, globex, "carol", FIELDS))[0] == 0


async def test_more_than_the_balance_is_refused(api: Api, acme: TenantCreds) -> None:
    await two_members(api, acme)
    await enable(api, acme)
    await _refused(api, acme, "bob", 101, "INSUFFICIENT_POINTS", None)


@pytest.mark.parametrize("points", [0, -5])
async def test_a_count_that_is_not_positive_is_refused(
    api: Api, acme: TenantCreds, points: int
) -> None:
    await two_members(api, acme)
    await enable(api, acme)
    await _refused(api, acme, "bob", points, "INVALID_POINTS", ["input", "points"])


async def test_a_young_account_may_not_send_yet(api: Api, acme: TenantCreds) -> None:
    # given alice joined 6 days ago and the program asks for 7
    await two_members(api, acme)
    await enable(api, acme, min_days=7)
    api.clock.advance(timedelta(days=6))
    # when / then
    await _refused(api, acme, "bob", 10, "ACCOUNT_TOO_NEW", None)
    payload = await transfer(api, acme, "alice", "bob", 10, "k", locale="ar")
    assert payload["userErrors"][0]["message"] == "يمكنك إهداء النقاط بعد مرور 7 أيام على انضمامك."
    # and a day later she may
    api.clock.advance(timedelta(days=1))
    assert (await transfer(api, acme, "alice", "bob", 10, "k2"))["userErrors"] == []


async def test_the_daily_cap_counts_every_transfer_of_the_local_day(
    api: Api, acme: TenantCreds
) -> None:
    # given a cap of 100 a day and 60 sent already
    await two_members(api, acme, points=500)
    await enable(api, acme, daily_cap=100)
    assert (await transfer(api, acme, "alice", "bob", 60, "t1"))["userErrors"] == []
    # when 50 more are sent the same day
    before = await wallets(api, acme, "alice", "bob")
    payload = await transfer(api, acme, "alice", "bob", 50, "t2")
    # then it is refused, saying what is left, and nothing changed
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("TRANSFER_LIMIT_REACHED", ["input", "points"])
    ]
    assert payload["userErrors"][0]["message"] == (
        "This exceeds the daily gifting limit of 100 points. You can still send 40 points today."
    )
    assert await wallets(api, acme, "alice", "bob") == before
    # and the next day the allowance is new
    api.clock.advance(timedelta(days=1))
    assert (await transfer(api, acme, "alice", "bob", 50, "t3"))["userErrors"] == []


async def test_two_transfers_racing_on_one_balance_never_overdraw(
    api: Api, acme: TenantCreds
) -> None:
    # given alice has 100 points
    await two_members(api, acme)
    await enroll(api, acme, "carol")
    await enable(api, acme)
    # when she sends 70 to bob and 70 to carol at once
    results = await asyncio.gather(
        transfer(api, acme, "alice", "bob", 70, "race-1"),
        transfer(api, acme, "alice", "carol", 70, "race-2"),
    )
    # then exactly one went through, and the other changed nothing
    codes = sorted(tuple(e["code"] for e in r["userErrors"]) for r in results)
    assert codes == [(), ("INSUFFICIENT_POINTS",)]
    alice, bob, carol = await wallets(api, acme, "alice", "bob", "carol")
    assert alice[0] == 30
    assert bob[0] + carol[0] == 70
    assert await api.database.db["transfers"].count_documents({"status": "COMPLETED"}) == 1
    assert await api.database.db["transfers"].count_documents({"status": "PENDING"}) == 0


async def test_the_gifting_policy_is_checked(api: Api, acme: TenantCreds) -> None:
    # given / when a cap of 0 is asked for
    gifting = {"transfersEnabled": True, "dailyCap": 0, "minAccountDays": 0}
    body = await api.gql(UPDATE_GIFTING, {"gifting": gifting}, token=acme.admin)
    # then
    assert body["data"]["updateProgram"] == {
        "program": None,
        "userErrors": [{"code": "OUT_OF_RANGE", "field": ["input", "gifting", "dailyCap"]}],
    }
    # and the program reads what was saved when it is right
    payload = await enable(api, acme, daily_cap=500, min_days=30)
    assert payload["program"]["gifting"] == {
        "transfersEnabled": True,
        "dailyCap": 500,
        "minAccountDays": 30,
    }
