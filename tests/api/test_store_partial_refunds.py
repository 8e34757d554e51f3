"""Salla and Zid report a partial refund by lowering the order's total and sending the order
again; the difference from what the order earned on is refunded, once per reported total,
whatever the order and number of deliveries."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from tests.api.conftest import Api, TenantCreds, admin_wallet
from tests.api.store_simulator import (
    CUSTOMERS,
    STEPS,
    Store,
    connect,
    days,
    fixture,
    js_time,
    riyadh,
    send_step,
)

POINTS = {"salla": 220, "zid": 230}
PARTIAL = {"salla": 79, "zid": 50}  # 80 of 220.3 SAR; 50 of 230 SAR


async def wallet(api: Api, creds: TenantCreds, platform: str) -> tuple[int, int, list[int]]:
    _, pending, lifetime, entries = await admin_wallet(api, creds, CUSTOMERS[platform], "points")
    return pending, lifetime, [e["points"] for e in reversed(entries)]


@pytest.mark.parametrize("platform", ["salla", "zid"])
async def test_a_redelivered_lower_total_refunds_once(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a paid order whose total the store lowered
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    await send_step(store, "paid")
    api.clock.advance(days(1))
    refund = STEPS[platform]("refund", api.clock.now(), "UTC").payload
    assert (await store.send(copy.deepcopy(refund))).json() == {"status": "applied"}
    # when the very same delivery comes again, and the same total in another delivery later
    assert (await store.send(copy.deepcopy(refund))).json() == {"status": "duplicate"}
    api.clock.advance(timedelta(minutes=5))
    assert (await send_step(store, "refund")).json() == {"status": "applied"}
    # then the difference was refunded once
    points, partial = POINTS[platform], PARTIAL[platform]
    assert await wallet(api, acme, platform) == (points - partial, points, [points, -partial])


@pytest.mark.parametrize("platform", ["salla", "zid"])
async def test_an_older_report_arriving_late_changes_nothing(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a paid order, then its total lowered a day later
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    paid_at = api.clock.now()
    await send_step(store, "paid")
    api.clock.advance(days(1))
    await send_step(store, "refund")
    # when the store's earlier report (the full total, delivered first) arrives again late
    late = await send_step(store, "delivered", at=paid_at + timedelta(hours=1))
    # then the order stays at the lower total
    assert late.json() == {"status": "applied"}
    points, partial = POINTS[platform], PARTIAL[platform]
    assert await wallet(api, acme, platform) == (points - partial, points, [points, -partial])


@pytest.mark.parametrize("platform", ["salla", "zid"])
async def test_a_lower_total_before_the_order_earns_it_at_that_total(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a store whose lowered total arrives before the paid status it followed
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    paid_at = api.clock.now()
    api.clock.advance(days(1))
    first = await send_step(store, "refund")
    # when the paid report arrives
    late = await send_step(store, "paid", at=paid_at)
    # then the order earned what the customer pays now (140.3 and 180 SAR), once
    assert (first.json(), late.json()) == ({"status": "applied"}, {"status": "applied"})
    now_paid = {"salla": 140, "zid": 180}[platform]
    assert await wallet(api, acme, platform) == (now_paid, now_paid, [now_paid])


async def test_successive_lower_totals_each_refund_their_difference(
    api: Api, acme: TenantCreds
) -> None:
    # given a paid Salla order of 220.3 SAR
    await connect(api, acme, "salla")
    store = Store(api, acme.slug, "salla")
    await send_step(store, "paid")
    # when its total goes down to 140.3, then to 100.3, then up again to 180.3 (an edit)
    for total in (140.3, 100.3, 180.3):
        api.clock.advance(timedelta(hours=1))
        order = fixture("salla", "order.created")
        order["event"] = "order.total.price.updated"
        order["created_at"] = js_time(api.clock.now())
        order["data"]["status"]["slug"] = "in_progress"
        order["data"]["amounts"]["total"]["amount"] = total
        assert (await store.send(order)).json() == {"status": "applied"}
    # then 80 then 40 SAR were refunded, and the raise earned nothing more
    assert await wallet(api, acme, "salla") == (101, 220, [220, -79, -40])


async def test_a_merchant_status_still_carries_the_total(api: Api, acme: TenantCreds) -> None:
    # given a paid Zid order
    await connect(api, acme, "zid")
    store = Store(api, acme.slug, "zid")
    await send_step(store, "paid")
    # when a return is in progress (a status that says nothing about earning) at a lower total
    api.clock.advance(days(2))
    order = STEPS["zid"]("refund", api.clock.now(), "UTC").payload
    order["order_status"]["code"] = "reverse_in_progress"
    # then the difference is refunded
    assert (await store.send(order)).json() == {"status": "applied"}
    assert await wallet(api, acme, "zid") == (180, 230, [230, -50])


async def test_the_documented_salla_status_update_shape_is_read(
    api: Api, acme: TenantCreds
) -> None:
    # given Salla's documented order.status.updated body: the order nested under `order`
    await connect(api, acme, "salla")
    store = Store(api, acme.slug, "salla")
    body = fixture("salla", "order.status.updated")
    body["created_at"] = js_time(api.clock.now())
    placed = api.clock.now() - days(3)
    body["data"]["order"]["date"]["date"] = riyadh(placed) + ".000000"
    # when it arrives, then the completed order earns on its total (154 SAR)
    assert (await store.send(body)).json() == {"status": "applied"}
    _, pending, lifetime, _ = await admin_wallet(api, acme, "1779795066", "type")
    assert (pending, lifetime) == (154, 154)
