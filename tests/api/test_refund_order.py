"""refundOrder: taking back an order's points, idempotent per refund key, never below zero."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import ADJUST, RECORD_ORDER, Api, TenantCreds, admin_wallet, enroll

REFUND = """
mutation($input: RefundOrderInput!) {
  refundOrder(input: $input) {
    pointsReversed shortfall refundedTotal
    member { externalId wallet { balance pendingBalance lifetimeEarned } }
    userErrors { code field message }
  }
}
"""


async def state(api: Api, creds: TenantCreds, member: str) -> tuple[int, int, int, list[Any]]:
    return await admin_wallet(api, creds, member, "type points shortfall orderId")


async def order(api: Api, creds: TenantCreds, order_id: str, total: str) -> None:
    variables = {
        "input": {"memberExternalId": "c1", "orderId": order_id, "total": total, "currency": "SAR"}
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    assert body["data"]["recordOrder"]["userErrors"] == [], body


async def refund(
    api: Api, creds: TenantCreds, order_id: str, key: str, amount: str | None = None
) -> dict[str, Any]:
    variables = {"input": {"orderId": order_id, "idempotencyKey": key, "amount": amount}}
    body = await api.gql(REFUND, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["refundOrder"]
    return payload


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["pointsReversed"] is None
    assert payload["shortfall"] is None
    assert payload["refundedTotal"] is None
    assert payload["member"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


def refunds(nodes: list[Any]) -> list[Any]:
    return [node for node in nodes if node["type"] == "REFUND"]


async def test_full_refund_of_pending_order_takes_back_all_pending_points(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150.50")
    # when
    payload = await refund(api, acme, "o-1", "r-1")
    # then
    assert payload["userErrors"] == []
    assert (payload["pointsReversed"], payload["shortfall"]) == (150, 0)
    assert payload["member"]["wallet"] == {"balance": 0, "pendingBalance": 0, "lifetimeEarned": 150}
    balance, pending, _, nodes = await state(api, acme, "c1")
    assert (balance, pending) == (0, 0)
    assert refunds(nodes) == [{"type": "REFUND", "points": -150, "shortfall": 0, "orderId": "o-1"}]
    assert len(nodes) == 2


async def test_partial_refund_takes_proportional_points(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150")
    # when
    payload = await refund(api, acme, "o-1", "r-1", "50")
    # then
    assert payload["userErrors"] == []
    assert (payload["pointsReversed"], payload["shortfall"]) == (50, 0)
    assert payload["member"]["wallet"]["pendingBalance"] == 100
    balance, pending, _, nodes = await state(api, acme, "c1")
    assert (balance, pending) == (0, 100)
    assert refunds(nodes) == [{"type": "REFUND", "points": -50, "shortfall": 0, "orderId": "o-1"}]


async def test_partial_refunds_never_take_more_than_the_order_earned(
    api: Api, acme: TenantCreds
) -> None:
    # given: 150.50 SAR earns 150 points; 100 SAR is 99.67 points' worth
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150.50")
    # when
    first = await refund(api, acme, "o-1", "r-1", "100")
    second = await refund(api, acme, "o-1", "r-2", "50.50")
    # then
    assert (first["pointsReversed"], first["userErrors"]) == (99, [])
    assert (second["pointsReversed"], second["userErrors"]) == (51, [])
    balance, pending, _, nodes = await state(api, acme, "c1")
    assert (balance, pending) == (0, 0)
    assert sum(node["points"] for node in refunds(nodes)) == -150


async def test_refund_more_than_the_total_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150")
    await refund(api, acme, "o-1", "r-1", "100")
    before = await state(api, acme, "c1")
    # when
    payload = await refund(api, acme, "o-1", "r-2", "50.01")
    # then
    assert refused(payload) == ("REFUND_EXCEEDS_ORDER", ["input", "amount"])
    assert await state(api, acme, "c1") == before == (0, 50, 150, before[3])
    assert len(before[3]) == 2


async def test_refunding_a_fully_refunded_order_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150")
    await refund(api, acme, "o-1", "r-1")
    before = await state(api, acme, "c1")
    # when
    payload = await refund(api, acme, "o-1", "r-2")
    # then
    assert refused(payload) == ("ORDER_FULLY_REFUNDED", ["input", "orderId"])
    assert await state(api, acme, "c1") == before
    assert (before[0], before[1], len(before[3])) == (0, 0, 2)


async def test_unknown_order_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150")
    before = await state(api, acme, "c1")
    # when
    payload = await refund(api, acme, "nope", "r-1")
    # then
    assert refused(payload) == ("ORDER_NOT_FOUND", ["input", "orderId"])
    assert await state(api, acme, "c1") == before


async def test_retry_with_same_key_returns_same_result_and_changes_nothing(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150")
    first = await refund(api, acme, "o-1", "r-1", "50")
    before = await state(api, acme, "c1")
    # when
    retry = await refund(api, acme, "o-1", "r-1", "50")
    # then
    assert retry["userErrors"] == []
    assert (retry["pointsReversed"], retry["shortfall"]) == (50, 0)
    assert retry["pointsReversed"] == first["pointsReversed"]
    assert await state(api, acme, "c1") == before
    assert (before[1], len(refunds(before[3]))) == (100, 1)


async def test_same_key_with_different_amount_is_an_idempotency_conflict(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "150")
    await refund(api, acme, "o-1", "r-1", "50")
    before = await state(api, acme, "c1")
    # when
    payload = await refund(api, acme, "o-1", "r-1", "60")
    # then
    assert refused(payload) == ("IDEMPOTENCY_CONFLICT", ["input", "idempotencyKey"])
    assert await state(api, acme, "c1") == before


async def test_refund_after_points_were_spent_never_goes_below_zero(
    api: Api, acme: TenantCreds
) -> None:
    # given: 100 points released after the return window, then 80 of them spent
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "100")
    api.clock.advance(timedelta(days=15))
    body = await api.gql(
        ADJUST,
        {
            "input": {
                "memberExternalId": "c1",
                "points": -80,
                "reason": "spent",
                "idempotencyKey": "spend-1",
            }
        },
        token=acme.admin,
    )
    assert body["data"]["adjustPoints"]["userErrors"] == [], body
    # when
    payload = await refund(api, acme, "o-1", "r-1")
    # then
    assert payload["userErrors"] == []
    assert (payload["pointsReversed"], payload["shortfall"]) == (20, 80)
    assert payload["member"]["wallet"]["balance"] == 0
    balance, pending, _, nodes = await state(api, acme, "c1")
    assert (balance, pending) == (0, 0)
    assert refunds(nodes) == [{"type": "REFUND", "points": -20, "shortfall": 80, "orderId": "o-1"}]
