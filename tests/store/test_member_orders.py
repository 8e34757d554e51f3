"""Members remember their first and last order dates (for segments, win-back, analytics)."""

from __future__ import annotations

from datetime import timedelta

from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from loyalty.usecases import members, orders, tenants


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
