"""What an order earns: one computation for the order recorded and for the cart quoted.

recordOrder and quoteOrder both call `order_earning`, so a cart shows exactly what its order
will earn, and anything that changes earning (seasonal campaigns) changes both at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from loyalty.earning import OrderLine, order_points
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.tiers import TierState, effective_tier


@dataclass(frozen=True)
class OrderEarning:
    points: int


async def order_earning(
    deps: Deps,
    tenant: Tenant,
    member: Member | None,
    total: Decimal,
    lines: tuple[OrderLine, ...],
    now: datetime,
) -> OrderEarning:
    """`member` None: a shopper not enrolled yet, who would join at the base tier. The order
    that crosses a threshold still earns at the tier held when it was placed. `deps` is for
    what earning will read besides the program (the seasonal campaigns)."""
    program = tenant.program
    tier = effective_tier(program, member.tier if member else TierState(), now)
    return OrderEarning(points=order_points(program, total, lines, tier.earn_multiplier))
