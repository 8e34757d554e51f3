"""A member with a year of orders, on a program with everything an order can trigger: tiers,
segments, order-based badges, rewards. Shared by the round-trip test and bench/round_trips.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from loyalty.badges import Badge, BadgeRule
from loyalty.clock import FrozenClock
from loyalty.orders import Order
from loyalty.ports import Deps
from loyalty.program import LocalizedText as Text
from loyalty.program import Tier
from loyalty.rewards import Reward, RewardKind
from loyalty.tenants import Tenant
from loyalty.usecases import members, order_refunds, orders, tenants
from loyalty.usecases.orders import OrderLineInput

SLUG = "acme"
MEMBER = "alice"
HISTORY_ORDERS = 72  # one every five days or so, over twelve months
REFUNDED = (5, 17, 40, 61)  # these are refunded (the first two in full, the others in part)
ORDER_TOTAL = Decimal(50)
# The year's spend net of refunds (3460) holds silver; one big order reaches gold, and another
# platinum (which has a badge with a bonus).
SILVER = Tier(
    "silver", Text(en="Silver"), rank=1, threshold=Decimal(1000), earn_multiplier=Decimal("1.5")
)
GOLD = Tier("gold", Text(en="Gold"), rank=2, threshold=Decimal(3700), earn_multiplier=Decimal(2))
PLATINUM = Tier(
    "platinum", Text(en="Platinum"), rank=3, threshold=Decimal(4500), earn_multiplier=Decimal(3)
)
NORMAL_TOTAL = "40.00"  # stays in the tier held
CROSSING_TOTAL = "600.00"  # reaches the next tier (gold, then platinum)


@dataclass(frozen=True)
class History:
    tenant: Tenant
    member_id: str


async def _program(deps: Deps) -> Tenant:
    created = await tenants.create_tenant(
        deps, slug=SLUG, name="Acme", currency="SAR", default_locale="en"
    )
    program = replace(created.tenant.program, pending_days=14, tiers=(SILVER, GOLD, PLATINUM))
    await deps.tenants.save_program(SLUG, program)
    now = deps.clock.now()
    badges = (
        Badge("b_first", Text(en="First"), BadgeRule.FIRST_ORDER, 1, now, bonus_points=25),
        Badge("b_hundred", Text(en="Hundred"), BadgeRule.ORDER_COUNT, 100, now),
        Badge(
            "b_perfume", Text(en="Perfume"), BadgeRule.CATEGORY_SPEND, 9000, now, category="perfume"
        ),
        Badge("b_streak", Text(en="Two years"), BadgeRule.MONTHLY_STREAK, 24, now),
        Badge(
            "b_platinum",
            Text(en="Platinum"),
            BadgeRule.TIER_REACHED,
            1,
            now,
            tier_id="platinum",
            bonus_points=50,
        ),
    )
    for badge in badges:
        await deps.badges.save(SLUG, badge)
    for reward_id, cost in (("rw_coffee", 300), ("rw_lunch", 900), ("rw_trip", 90_000)):
        reward = Reward(
            reward_id,
            Text(en=reward_id),
            Text(),
            cost,
            RewardKind.FREE_PRODUCT,
            None,
            None,
            True,
            None,
            now,
        )
        await deps.rewards.save(SLUG, reward)
    return replace(created.tenant, program=program)


async def year_of_history(deps: Deps, clock: FrozenClock) -> History:
    """72 orders over the last twelve months (some with perfume lines), four refunded."""
    clock.advance(timedelta(days=-365))
    tenant = await _program(deps)
    member = await members.enrol(deps, tenant, MEMBER)
    for index in range(HISTORY_ORDERS):
        clock.advance(timedelta(days=5))
        items = [OrderLineInput("sku-p", "perfume", 1, "30.00")] if index % 3 == 0 else None
        await record(deps, tenant, f"h-{index}", str(ORDER_TOTAL), items)
    for index in REFUNDED:
        amount = None if index < 20 else "20.00"
        await order_refunds.refund_order(
            deps, tenant, order_id=f"h-{index}", amount=amount, idempotency_key=f"rf-{index}"
        )
    clock.advance(timedelta(days=5))
    return History(tenant, member.id)


async def record(
    deps: Deps,
    tenant: Tenant,
    order_id: str,
    total: str,
    items: list[OrderLineInput] | None = None,
) -> Order:
    recorded = await orders.record_order(
        deps,
        tenant,
        member_external_id=MEMBER,
        order_id=order_id,
        total=total,
        currency="SAR",
        items=items,
        placed_at=None,
    )
    return recorded.order
