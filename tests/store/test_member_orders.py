"""Members remember their first and last order dates (for segments, win-back, analytics)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from loyalty.clock import FrozenClock
from loyalty.orders import LineSpend, PastOrder
from loyalty.ports import Deps
from loyalty.usecases import members, order_refunds, orders, tenants


async def test_first_and_last_order_dates_follow_orders_in_any_order(
    deps: Deps, clock: FrozenClock
) -> None:
    # given
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    member = await members.enrol(deps, created.tenant, "c1")
    now = clock.now()
    # when a recent order, an imported older one, and a retry of the recent one arrive
    for order_id, days_ago in (("new", 1), ("old", 90), ("new", 1)):
        await orders.record_order(
            deps,
            created.tenant,
            member_external_id="c1",
            order_id=order_id,
            total="10",
            currency="SAR",
            items=None,
            placed_at=now - timedelta(days=days_ago),
        )
    # then
    fresh = await deps.members.get("acme", member.id)
    assert fresh is not None
    assert (fresh.first_order_at, fresh.last_order_at) == (
        now - timedelta(days=90),
        now - timedelta(days=1),
    )


async def test_past_orders_carry_money_points_refunds_and_lines_only_when_asked(
    deps: Deps, clock: FrozenClock
) -> None:
    # given an order with a categorised and an uncategorised line, refunded in part, and an
    # older order outside the window asked for
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    member = await members.enrol(deps, created.tenant, "c1")
    now = clock.now()
    items = [
        orders.OrderLineInput("s1", "Oud", 2, "100.00"),
        orders.OrderLineInput("s2", None, 1, "50.00"),
    ]
    for order_id, total, lines, days_ago in (("A", "250", items, 1), ("B", "10", None, 40)):
        await orders.record_order(
            deps,
            created.tenant,
            member_external_id="c1",
            order_id=order_id,
            total=total,
            currency="SAR",
            items=lines,
            placed_at=now - timedelta(days=days_ago),
        )
    await order_refunds.refund_order(
        deps, created.tenant, order_id="A", amount="50", idempotency_key="r1"
    )
    since = now - timedelta(days=30)
    # when
    plain = await deps.orders.member_orders_since("acme", member.id, since)
    with_lines = await deps.orders.member_orders_since("acme", member.id, None, lines=True)
    # then
    a = PastOrder(Decimal(250), now - timedelta(days=1), 250, Decimal(50), 50)
    b = PastOrder(Decimal(10), now - timedelta(days=40), 10, Decimal(0), 0)
    assert plain == [a]
    assert with_lines == [replace(a, lines=(LineSpend("Oud", Decimal(200)),)), b]
