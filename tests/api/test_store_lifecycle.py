"""The store simulator drives a real order's life through each platform's webhooks: the
customer signs up, orders, pays, receives it (the return window starts then), returns part of
it, then the rest. Balances and pending points are checked at every step."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, TenantCreds, admin_wallet
from tests.api.store_simulator import CUSTOMERS, Store, connect, days, send_step

MEMBER = """query($id: ID!) { member(externalId: $id) { externalId displayName } }"""

# Points the order earns at the default rate (1 per SAR of the reported total, floored), and
# what the partial refund takes back (in proportion: floor(points * refunded / total)).
EXPECTED = {
    "salla": (220, 79),  # total 220.3 SAR, lowered to 140.3: 80 SAR refunded
    "zid": (230, 50),  # order_total 230 SAR, lowered to 180 by a credit note: 50 refunded
    "shopify": (250, 115),  # current_total_price 250; a refund of 115 SAR
    "custom": (240, 60),  # total 240; a refund of 60
}


async def balances(api: Api, creds: TenantCreds, member: str) -> tuple[int, int]:
    balance, pending, _, _ = await admin_wallet(api, creds, member, "type")
    return balance, pending


@pytest.mark.parametrize("platform", ["salla", "zid", "shopify", "custom"])
async def test_an_order_lives_through_the_store_webhooks(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a store connected to earn on payment, and a customer signing up in it
    await connect(api, acme, platform, earn_on="PAID")
    store = Store(api, acme.slug, platform)
    member = CUSTOMERS[platform]
    points, partial = EXPECTED[platform]
    assert (await send_step(store, "customer")).json() == {"status": "applied"}
    body = await api.gql(MEMBER, {"id": member}, token=acme.admin)
    assert body["data"]["member"]["externalId"] == member
    assert await balances(api, acme, member) == (0, 0)

    # when the order is created, then nothing is earned yet (the stage is PAID)
    assert (await send_step(store, "created")).json() == {"status": "waiting"}
    assert await balances(api, acme, member) == (0, 0)

    # when it is paid, then its points are pending
    assert (await send_step(store, "paid")).json() == {"status": "applied"}
    assert await balances(api, acme, member) == (0, points)

    # when it is delivered five days later, then the return window starts at delivery
    api.clock.advance(days(5))
    assert (await send_step(store, "delivered")).json() == {"status": "applied"}
    api.clock.advance(days(13))  # 16 days after the order, 13 after delivery (window: 14)
    assert await balances(api, acme, member) == (0, points)

    # when part of it is returned, then that share goes back
    assert (await send_step(store, "refund")).json() == {"status": "applied"}
    assert await balances(api, acme, member) == (0, points - partial)

    # when the rest is refunded, then nothing is left, pending or spendable, even later
    assert (await send_step(store, "refund-rest")).json() == {"status": "applied"}
    assert await balances(api, acme, member) == (0, 0)
    api.clock.advance(days(30))
    assert await balances(api, acme, member) == (0, 0)
    _, _, lifetime, entries = await admin_wallet(api, acme, member, "type points")
    assert [(e["type"], e["points"]) for e in reversed(entries)] == [
        ("PENDING", points),
        ("REFUND", -partial),
        ("REFUND", partial - points),
    ]
    assert sum(e["points"] for e in entries) == 0
    assert lifetime == points


@pytest.mark.parametrize("platform", ["salla", "zid", "shopify", "custom"])
async def test_points_become_spendable_a_window_after_delivery(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a paid order, delivered two days after payment
    await connect(api, acme, platform, earn_on="PAID")
    store = Store(api, acme.slug, platform)
    member = CUSTOMERS[platform]
    points, _ = EXPECTED[platform]
    await send_step(store, "customer")
    await send_step(store, "paid")
    api.clock.advance(days(2))
    await send_step(store, "delivered")
    # when the window after delivery is almost over, then the points still wait
    api.clock.advance(days(14) - days(1))
    assert await balances(api, acme, member) == (0, points)
    # when it is over, then they are spendable
    api.clock.advance(days(1))
    assert await balances(api, acme, member) == (points, 0)


@pytest.mark.parametrize("platform", ["salla", "zid", "shopify", "custom"])
async def test_an_order_earning_on_delivery_waits_for_it(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a store connected to earn on delivery
    await connect(api, acme, platform, earn_on="DELIVERED")
    store = Store(api, acme.slug, platform)
    member = CUSTOMERS[platform]
    points, _ = EXPECTED[platform]
    await send_step(store, "customer")
    # when the order is created and paid, then nothing is earned
    assert (await send_step(store, "created")).json() == {"status": "waiting"}
    assert (await send_step(store, "paid")).json() == {"status": "waiting"}
    assert await balances(api, acme, member) == (0, 0)
    # when it is delivered a week later, then it earns, pending for a window from delivery
    api.clock.advance(days(7))
    assert (await send_step(store, "delivered")).json() == {"status": "applied"}
    api.clock.advance(days(13))
    assert await balances(api, acme, member) == (0, points)
    api.clock.advance(days(1))
    assert await balances(api, acme, member) == (points, 0)
