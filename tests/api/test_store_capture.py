"""A storefront paying part of an order with points held by reservePoints puts the
reservation in the store order's metadata; the order's webhook captures the hold, once, and a
hold that can no longer be captured refuses the order with the reason (answered 200, logged:
no retry of the platform can change it)."""

from __future__ import annotations

import copy
import logging
from datetime import timedelta
from typing import Any

import pytest

from tests.api.checkout_helpers import LEDGER, reserve
from tests.api.conftest import Api, TenantCreds, admin_wallet, enroll, give_points
from tests.api.store_simulator import (
    CUSTOMERS,
    ORDERS,
    STEPS,
    Store,
    connect,
    with_reservation,
)

PLATFORMS = ["salla", "zid", "shopify", "custom"]
POINTS = {"salla": 220, "zid": 230, "shopify": 250, "custom": 240}


async def shopper_with_hold(api: Api, creds: TenantCreds, platform: str) -> str:
    member = CUSTOMERS[platform]
    await enroll(api, creds, member)
    await give_points(api, creds, member, 1000, "seed")
    held = await reserve(api, creds, member, 500, "cart-1")
    assert held["userErrors"] == [], held
    reservation_id: str = held["reservation"]["id"]
    return reservation_id


def paid_order(
    api: Api, platform: str, reservation_id: str, kind: str = "paid"
) -> tuple[dict[str, Any], str]:
    step = STEPS[platform](kind, api.clock.now(), "UTC")
    payload = copy.deepcopy(step.payload)
    with_reservation(platform, payload, reservation_id)
    return payload, step.topic


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_the_store_order_captures_the_hold_named_in_its_metadata(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given 500 of a member's 1000 points held at checkout
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    reservation_id = await shopper_with_hold(api, acme, platform)
    # when the store reports the order paid, with the reservation in its metadata
    payload, topic = paid_order(api, platform, reservation_id)
    answer = await store.send(payload, topic=topic, event_id="e-paid")
    # then the order captured the hold and earned
    assert answer.json() == {"status": "applied"}
    member = CUSTOMERS[platform]
    balance, pending, lifetime, nodes = await admin_wallet(api, acme, member, LEDGER)
    assert (balance, pending, lifetime) == (500, POINTS[platform], 1000 + POINTS[platform])
    # (newest first: the order's points are dated when it was placed, two days ago)
    assert [(n["kind"], n["points"], n["orderId"]) for n in nodes] == [
        ("CAPTURE", 0, ORDERS[platform]),
        ("HOLD", -500, None),
        ("ADJUST", 1000, None),
        ("PENDING", POINTS[platform], ORDERS[platform]),
    ]
    order = await api.deps.orders.get(acme.slug, ORDERS[platform])
    assert order is not None
    assert (order.points_reservation_id, order.points_paid) == (reservation_id, 500)
    # and when the same delivery, then the delivered order carrying it, arrive later
    duplicate = await store.send(payload, topic=topic, event_id="e-paid")
    api.clock.advance(timedelta(days=1))
    later, later_topic = paid_order(api, platform, reservation_id, "delivered")
    delivered = await store.send(later, topic=later_topic, event_id="e-delivered")
    # then nothing is captured again
    assert (duplicate.json(), delivered.json()) == ({"status": "duplicate"}, {"status": "applied"})
    after = await admin_wallet(api, acme, member, LEDGER)
    assert (after[0], after[2], after[3]) == (500, 1000 + POINTS[platform], nodes)


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_store_order_with_an_expired_hold_is_refused_with_the_reason(
    api: Api, acme: TenantCreds, platform: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a hold left 31 minutes without an order (holds last 30)
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    reservation_id = await shopper_with_hold(api, acme, platform)
    api.clock.advance(timedelta(minutes=31))
    member = CUSTOMERS[platform]
    before = await admin_wallet(api, acme, member, LEDGER)
    # when the store's paid order names it
    payload, topic = paid_order(api, platform, reservation_id)
    with caplog.at_level(logging.WARNING, logger="loyalty.stores"):
        answer = await store.send(payload, topic=topic, event_id="e-paid")
    # then the webhook is answered (a retry cannot help) with the reason, which is logged
    assert (answer.status_code, answer.json()) == (
        200,
        {"status": "refused", "code": "RESERVATION_EXPIRED"},
    )
    assert any(
        "RESERVATION_EXPIRED" in r.getMessage() and ORDERS[platform] in r.getMessage()
        for r in caplog.records
    )
    # and nothing was recorded or spent
    assert await api.deps.orders.get(acme.slug, ORDERS[platform]) is None
    assert await admin_wallet(api, acme, member, LEDGER) == before
