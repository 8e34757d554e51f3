"""adjustPoints: merchant credits and corrections, applied once per idempotency key."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.api.conftest import ADJUST, Api, TenantCreds, admin_wallet, enroll, give_points


async def state(
    api: Api, creds: TenantCreds, member: str = "c1"
) -> tuple[int, int, int, list[Any]]:
    return await admin_wallet(api, creds, member, "type points balanceAfter reason")


async def adjust(
    api: Api, creds: TenantCreds, points: int, key: str, reason: str = "goodwill"
) -> dict[str, Any]:
    variables = {
        "input": {
            "memberExternalId": "c1",
            "points": points,
            "reason": reason,
            "idempotencyKey": key,
        }
    }
    body = await api.gql(ADJUST, variables, token=creds.admin)
    payload: dict[str, Any] = body["data"]["adjustPoints"]
    return payload


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["member"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def test_positive_adjustment_credits_spendable_points(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await adjust(api, acme, 120, "k1")
    # then
    assert payload == {"member": {"wallet": {"balance": 120}}, "userErrors": []}
    assert await state(api, acme) == (
        120,
        0,
        120,
        [{"type": "ADJUST", "points": 120, "balanceAfter": 120, "reason": "goodwill"}],
    )


async def test_negative_adjustment_beyond_balance_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 50, "g1")
    before = await state(api, acme)
    # when
    payload = await adjust(api, acme, -51, "k1")
    # then
    assert refused(payload) == ("INSUFFICIENT_POINTS", None)
    assert await state(api, acme) == before == (50, 0, 50, before[3])
    assert len(before[3]) == 1


async def test_zero_points_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await adjust(api, acme, 0, "k1")
    # then
    assert refused(payload) == ("INVALID_POINTS", ["input", "points"])
    assert await state(api, acme) == (0, 0, 0, [])


async def test_empty_reason_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await adjust(api, acme, 10, "k1", reason="   ")
    # then
    assert refused(payload) == ("INVALID_INPUT", ["input", "reason"])
    assert await state(api, acme) == (0, 0, 0, [])


async def test_retry_with_same_key_is_applied_once(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await adjust(api, acme, 30, "k1")
    # when
    retry = await adjust(api, acme, 30, "k1")
    # then
    assert retry == {"member": {"wallet": {"balance": 30}}, "userErrors": []}
    balance, pending, lifetime, nodes = await state(api, acme)
    assert (balance, pending, lifetime, len(nodes)) == (30, 0, 30, 1)


async def test_same_key_with_different_points_is_an_idempotency_conflict(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await adjust(api, acme, 30, "k1")
    before = await state(api, acme)
    # when
    payload = await adjust(api, acme, 40, "k1")
    # then
    assert refused(payload) == ("IDEMPOTENCY_CONFLICT", ["input", "idempotencyKey"])
    assert await state(api, acme) == before
    assert (before[0], len(before[3])) == (30, 1)


async def test_concurrent_adjustments_are_all_applied(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payloads = await asyncio.gather(*(adjust(api, acme, 10, f"k{i}") for i in range(20)))
    # then
    assert [p["userErrors"] for p in payloads] == [[]] * 20
    balance, pending, lifetime, nodes = await state(api, acme)
    assert (balance, pending, lifetime) == (200, 0, 200)
    assert [n["type"] for n in nodes] == ["ADJUST"] * 20
    assert sum(n["points"] for n in nodes) == balance
    assert sorted(n["balanceAfter"] for n in nodes) == list(range(10, 201, 10))
