"""Stores deliver at least once and in no particular order: a duplicate (same delivery id,
or the same state of the same order) changes nothing, and events that arrive before their
order wait for it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import Api, TenantCreds, admin_wallet
from tests.api.store_simulator import CUSTOMERS, ORDERS, Store, connect, send_step

PLATFORMS = ["salla", "zid", "shopify", "custom"]
POINTS = {"salla": 220, "zid": 230, "shopify": 250, "custom": 240}


async def wallet(api: Api, creds: TenantCreds, platform: str) -> tuple[int, int, int, list[str]]:
    balance, pending, lifetime, entries = await admin_wallet(
        api, creds, CUSTOMERS[platform], "type"
    )
    return balance, pending, lifetime, [e["type"] for e in entries]


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_duplicated_delivery_changes_nothing(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a paid order
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    await send_step(store, "paid")
    before = await wallet(api, acme, platform)
    # when the very same delivery comes again
    again = await send_step(store, "paid")
    # then
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    points = POINTS[platform]
    assert await wallet(api, acme, platform) == before == (0, points, points, ["PENDING"])


@pytest.mark.parametrize("platform", ["salla", "zid", "custom"])
async def test_the_same_state_in_another_delivery_changes_nothing(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a paid order
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    await send_step(store, "paid")
    # when the store reports it paid again, a minute later (another delivery)
    api.clock.advance(timedelta(minutes=1))
    again = await send_step(store, "paid")
    # then
    assert (again.status_code, again.json()) == (200, {"status": "applied"})
    assert await wallet(api, acme, platform) == (
        0,
        POINTS[platform],
        POINTS[platform],
        ["PENDING"],
    )


@pytest.mark.parametrize("platform", ["shopify", "custom"])
async def test_a_refund_before_its_order_waits_for_it(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a store whose refund arrives first
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    assert (await send_step(store, "refund")).json() == {"status": "waiting"}
    # when the order arrives, paid
    assert (await send_step(store, "paid")).json() == {"status": "applied"}
    # then it earned and the refund was applied
    partial = {"shopify": 115, "custom": 60}[platform]
    assert await wallet(api, acme, platform) == (
        0,
        POINTS[platform] - partial,
        POINTS[platform],
        ["REFUND", "PENDING"],
    )


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_paid_before_created_earns_once(api: Api, acme: TenantCreds, platform: str) -> None:
    # given
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    # when the paid status comes before the create
    await send_step(store, "paid")
    late = await send_step(store, "created")
    # then
    assert late.json() == {"status": "applied"}
    assert await wallet(api, acme, platform) == (
        0,
        POINTS[platform],
        POINTS[platform],
        ["PENDING"],
    )


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_cancelled_before_earning_never_earns(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given an order created, then cancelled, with the payment reported late
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    await send_step(store, "customer")
    await send_step(store, "created")
    await send_step(store, "cancelled")
    # when
    await send_step(store, "paid")
    # then
    assert await wallet(api, acme, platform) == (0, 0, 0, [])
    assert await api.deps.orders.get(acme.slug, ORDERS[platform]) is None


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_cancelled_after_earning_takes_the_points_back(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given an order that earned on creation
    await connect(api, acme, platform, earn_on="CREATED")
    store = Store(api, acme.slug, platform)
    await send_step(store, "created")
    # when it is cancelled, twice
    await send_step(store, "cancelled")
    await send_step(store, "cancelled")
    # then it was voided once
    points = POINTS[platform]
    assert await wallet(api, acme, platform) == (0, 0, points, ["REFUND", "PENDING"])
