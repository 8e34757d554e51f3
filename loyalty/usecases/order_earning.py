"""What an order earns: one computation for the order recorded and for the cart quoted.

recordOrder and quoteOrder both call `order_earning`, so a cart shows exactly what its order
will earn, seasonal campaigns and the tier multiplier included."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from loyalty import earning
from loyalty.earn_campaigns import running
from loyalty.earning import OrderEarning, OrderLine
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.segments import Segment
from loyalty.tenants import Tenant
from loyalty.tiers import TierState, effective_tier


async def order_earning(
    deps: Deps,
    tenant: Tenant,
    member: Member | None,
    total: Decimal,
    lines: tuple[OrderLine, ...],
    *,
    now: datetime,
    placed_at: datetime | None = None,
) -> OrderEarning:
    """`member` None: a shopper not enrolled yet, who would join at the base tier as a NEW
    member. The order that crosses a threshold still earns at the tier held when it was
    placed; it earns the campaigns running at `placed_at` (default `now`) for that member."""
    program = tenant.program
    tier = effective_tier(program, member.tier if member else TierState(), now)
    segment = member.segment if member else Segment.NEW
    # A cached read: no database call per order or quote.
    recent = await deps.earn_campaigns.recent(tenant.slug)
    campaigns = running(recent, placed_at or now, segment, tier.id)
    return earning.order_earning(program, total, lines, tier.earn_multiplier, campaigns)
