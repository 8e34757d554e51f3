"""Keeping each member's RFM segment current: on every order, and by the scheduled job for
members whose segment may have moved with time alone (their `segment_review_at` came)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from loyalty.engagement_settings import SegmentPolicy
from loyalty.orders import PastOrder
from loyalty.ports import Deps
from loyalty.segments import Activity, Segment, segment, segment_review_at
from loyalty.tenants import Tenant
from loyalty.usecases.batches import work_through

BATCH = 500


def activity_of(policy: SegmentPolicy, orders: Iterable[PastOrder], now: datetime) -> Activity:
    since = now - timedelta(days=policy.window_days)
    # Orders fully refunded are not purchases.
    kept = [o for o in orders if o.refunded < o.total]
    recent = [o for o in kept if o.placed_at >= since]
    return Activity(
        last_order_at=max((o.placed_at for o in kept), default=None),
        orders_in_window=len(recent),
        spend_in_window=sum((o.total - o.refunded for o in recent), Decimal(0)),
        oldest_in_window=min((o.placed_at for o in recent), default=None),
    )


async def member_activity(deps: Deps, tenant: Tenant, member_id: str) -> Activity:
    orders = await deps.orders.member_orders_since(tenant.slug, member_id, None)
    return activity_of(tenant.program.segments, orders, deps.clock.now())


async def rescore(deps: Deps, tenant: Tenant, member_id: str) -> Segment:
    policy = tenant.program.segments
    activity = await member_activity(deps, tenant, member_id)
    now = deps.clock.now()
    result = segment(policy, activity, now)
    review = segment_review_at(policy, activity, now)
    await deps.standing.save_segment(tenant.slug, member_id, result, review)
    return result


async def rescore_due(deps: Deps, tenant: Tenant, max_batches: int = 20) -> int:
    async def rescore_one(member_id: str) -> int:
        await rescore(deps, tenant, member_id)
        return 1

    return await work_through(
        lambda size: deps.standing.segment_review_due(tenant.slug, deps.clock.now(), size),
        rescore_one,
        BATCH,
        max_batches,
    )
