"""refundOrder on an order held for a customer who is not a member yet (policy HOLD): nothing
was credited, so nothing is taken back now. A whole refund voids the order (it never earns,
even when the customer enrols); a partial one is applied as soon as it earns. The same through
a store's webhooks."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, admin_wallet, enroll
from tests.api.store_simulator import CUSTOMERS, Store, connect, send_step, set_program

REFUND = """
mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
  pointsReversed shortfall refundedTotal member { externalId }
  userErrors { code field } } }
"""
MEMBER = """query($id: ID!) { member(externalId: $id) { externalId } }"""


async def held(api: Api, creds: TenantCreds, customer: str = "later", order: str = "o-1") -> None:
    await set_program(api, creds, policy="HOLD")
    variables = {
        "input": {
            "memberExternalId": customer,
            "orderId": order,
            "total": "150.00",
            "currency": "SAR",
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    assert body["data"]["recordOrder"]["member"] is None, body


async def refund(
    api: Api, creds: TenantCreds, key: str, amount: str | None = None, order: str = "o-1"
) -> dict[str, Any]:
    variables = {"input": {"orderId": order, "idempotencyKey": key, "amount": amount}}
    body = await api.gql(REFUND, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["refundOrder"]
    return payload


async def held_refunds(api: Api, creds: TenantCreds) -> list[tuple[str, str]]:
    order = await api.deps.held_orders.get(creds.slug, "o-1")
    assert order is not None
    return [(r.key, str(r.amount)) for r in order.refunds]


async def test_a_partial_refund_of_a_held_order_reduces_what_it_will_earn(
    api: Api, acme: TenantCreds
) -> None:
    # given an order of 150 SAR held for a customer who is not a member
    await held(api, acme)
    # when 50 SAR of it is refunded
    payload = await refund(api, acme, "r-1", "50.00")
    # then the refund is taken (a third of the 150 points the order will earn), nothing more
    assert payload == {
        "pointsReversed": 50,
        "shortfall": 0,
        "refundedTotal": "50.00",
        "member": None,
        "userErrors": [],
    }
    assert await held_refunds(api, acme) == [("r-1", "50.00")]
    assert await api.deps.orders.get(acme.slug, "o-1") is None
    body = await api.gql(MEMBER, {"id": "later"}, token=acme.admin)
    assert body["data"]["member"] is None
    # and when the customer enrols, the order earns less the refund
    await enroll(api, acme, "later")
    balance, pending, lifetime, entries = await admin_wallet(api, acme, "later", "type points")
    assert (balance, pending, lifetime) == (0, 100, 150)
    assert entries == [{"type": "REFUND", "points": -50}, {"type": "PENDING", "points": 150}]
    assert await api.deps.held_orders.get(acme.slug, "o-1") is None


async def test_a_whole_refund_voids_a_held_order(api: Api, acme: TenantCreds) -> None:
    # given a held order, partly refunded
    await held(api, acme)
    await refund(api, acme, "r-1", "50.00")
    # when the rest is refunded
    payload = await refund(api, acme, "r-2")
    # then the rest of its points are taken back
    assert (payload["pointsReversed"], payload["refundedTotal"], payload["userErrors"]) == (
        100,
        "150.00",
        [],
    )
    # and when the customer enrols, nothing is credited
    await enroll(api, acme, "later")
    assert await admin_wallet(api, acme, "later", "type") == (0, 0, 0, [])
    assert await api.deps.orders.get(acme.slug, "o-1") is None
    assert await api.deps.held_orders.get(acme.slug, "o-1") is None


async def test_a_held_refund_is_idempotent_on_its_key(api: Api, acme: TenantCreds) -> None:
    # given a refund of a held order
    await held(api, acme)
    first = await refund(api, acme, "r-1", "50.00")
    # when it is sent again, before and after the customer enrols
    again = await refund(api, acme, "r-1", "50.00")
    await enroll(api, acme, "later")
    after = await refund(api, acme, "r-1", "50.00")
    # then it is the same refund, applied once
    assert again == first
    assert (after["pointsReversed"], after["userErrors"]) == (50, [])
    _, pending, _, entries = await admin_wallet(api, acme, "later", "type points")
    assert pending == 100
    assert entries == [{"type": "REFUND", "points": -50}, {"type": "PENDING", "points": 150}]


async def test_refusals_on_a_held_order_change_nothing(api: Api, acme: TenantCreds) -> None:
    # given a held order of 150 SAR, 100 of it refunded
    await held(api, acme)
    await refund(api, acme, "r-1", "100.00")
    # when more than is left is refunded, or the same key is reused for another amount
    too_much = await refund(api, acme, "r-2", "60.00")
    reused = await refund(api, acme, "r-1", "10.00")
    # then each is refused, and the held order is as it was
    assert too_much["userErrors"] == [
        {"code": "REFUND_EXCEEDS_ORDER", "field": ["input", "amount"]}
    ]
    assert reused["userErrors"] == [
        {"code": "IDEMPOTENCY_CONFLICT", "field": ["input", "idempotencyKey"]}
    ]
    assert await held_refunds(api, acme) == [("r-1", "100.00")]
    # and once it is refunded whole, another refund is refused too
    await refund(api, acme, "r-3")
    done = await refund(api, acme, "r-4", "1.00")
    assert done["userErrors"] == [{"code": "ORDER_FULLY_REFUNDED", "field": ["input", "orderId"]}]
    assert await held_refunds(api, acme) == [("r-1", "100.00"), ("r-3", "50.00")]


async def test_another_tenant_cannot_refund_a_held_order(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given an order held at acme
    await held(api, acme)
    # when globex refunds that order id
    payload = await refund(api, globex, "r-1")
    # then there is no such order there, and acme's is untouched
    assert payload["userErrors"] == [{"code": "ORDER_NOT_FOUND", "field": ["input", "orderId"]}]
    assert await held_refunds(api, acme) == []


async def test_a_store_refunding_a_held_order_whole_voids_it(api: Api, acme: TenantCreds) -> None:
    # given a paid order held for a customer who has not signed up yet
    await set_program(api, acme, policy="HOLD")
    await connect(api, acme, "custom")
    store = Store(api, acme.slug, "custom")
    assert (await send_step(store, "paid")).json() == {"status": "held"}
    # when the store refunds it whole (a refund without an amount), then the customer enrols
    assert (await send_step(store, "refund-rest")).json() == {"status": "applied"}
    assert (await send_step(store, "customer")).json() == {"status": "applied"}
    # then nothing was ever credited
    member = CUSTOMERS["custom"]
    assert await admin_wallet(api, acme, member, "type") == (0, 0, 0, [])
    assert await api.deps.held_orders.get(acme.slug, "ord-5521") is None
    assert await api.deps.orders.get(acme.slug, "ord-5521") is None
