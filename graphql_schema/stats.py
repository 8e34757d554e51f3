"""ProgramStats: the merchant dashboard's figures for a period, and its chart series."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as PyDecimal

import strawberry

from graphql_schema.context import Info
from graphql_schema.gifting import CharityDonations, charity_donations
from graphql_schema.node import global_id
from graphql_schema.scalars import Decimal
from graphql_schema.tiers import Segment
from loyalty import analytics
from loyalty.program import BASE_TIER
from loyalty.usecases import stats as domain

strawberry.enum(analytics.Granularity, name="StatsGranularity")
Granularity = analytics.Granularity


def _money(value: PyDecimal) -> Decimal:
    return Decimal(format(value, "f"))


def _dec(value: PyDecimal | None) -> Decimal | None:
    return None if value is None else _money(value)


@strawberry.type
class TierCount:
    tier_id: strawberry.ID
    name: str
    members: int


@strawberry.type
class SegmentCount:
    segment: Segment
    members: int


@strawberry.type
class RewardStat:
    reward_id: strawberry.ID
    name: str | None = strawberry.field(description="null when the reward was deleted.")
    redemptions: int
    points_spent: int


@strawberry.type
class StatsBucket:
    start: datetime = strawberry.field(description="Local start of the day/week/month, in UTC.")
    end: datetime
    points_issued: int
    points_redeemed: int
    points_expired: int
    orders: int
    revenue: Decimal
    new_members: int


@strawberry.type(description="Figures for [from, to). Money fields are in `currency`.")
class ProgramStats:
    _stats: strawberry.Private[domain.ProgramStats]
    from_: datetime = strawberry.field(name="from")
    to: datetime
    currency: str
    points_issued: int = strawberry.field(description="Earned from orders and activities.")
    points_redeemed: int
    points_expired: int
    points_adjusted: int = strawberry.field(description="Net manual adjustments.")
    points_refunded: int = strawberry.field(description="Taken back by refunds.")
    outstanding_points: int = strawberry.field(description="Spendable now, all members.")
    outstanding_pending_points: int = strawberry.field(description="In return windows now.")
    outstanding_liability: Decimal = strawberry.field(description="outstandingPoints x value.")
    outstanding_pending_liability: Decimal
    redemption_rate: float | None = strawberry.field(description="Redeemed / issued.")
    breakage: float | None = strawberry.field(description="Expired / issued.")
    active_members: int = strawberry.field(description="With an order or activity in range.")
    new_members: int
    orders: int
    customers: int = strawberry.field(description="Members with an order in range.")
    repeat_customers: int
    repeat_purchase_rate: float | None
    previous_customers: int = strawberry.field(description="Customers of the period before.")
    retained_customers: int
    retention_rate: float | None = strawberry.field(description="Retained / previous.")
    purchase_frequency: float | None = strawberry.field(description="Orders / customers.")
    average_order_value: Decimal | None
    annual_customer_value: Decimal | None = strawberry.field(
        description="Frequency x AOV, annualized (x 365 / days in range)."
    )
    customer_lifetime_value: Decimal | None
    lifespan_years: float
    revenue_from_members: Decimal = strawberry.field(description="Order totals, before refunds.")
    refunded_amount: Decimal
    tier_distribution: list[TierCount]
    segment_distribution: list[SegmentCount]
    top_rewards: list[RewardStat]

    @strawberry.field(description="Points donated per charity in the period, largest first.")
    async def charity_donations(self, info: Info) -> list[CharityDonations]:
        return await charity_donations(info, self._stats.period.start, self._stats.period.end)

    @strawberry.field(description="The main figures per bucket, in the program's time zone.")
    async def series(
        self, info: Info, granularity: Granularity = Granularity.DAY
    ) -> list[StatsBucket]:
        scope = info.context.scope
        currency = self._stats.currency
        points = await domain.stats_series(
            scope.deps, scope.require_tenant(), self._stats.period, granularity
        )
        return [
            StatsBucket(
                start=p.start,
                end=p.end,
                points_issued=p.points_issued,
                points_redeemed=p.points_redeemed,
                points_expired=p.points_expired,
                orders=p.orders,
                revenue=_money(analytics.money(p.revenue_minor, currency)),
                new_members=p.new_members,
            )
            for p in points
        ]


async def program_stats(info: Info, stats: domain.ProgramStats) -> ProgramStats:
    scope = info.context.scope
    program = scope.require_tenant().program
    rewards = {r.id: r for r in await scope.rewards(active_only=False)}
    tiers = {t.id: t for t in (BASE_TIER, *program.tiers)}
    value = stats.value
    flow = stats.flow
    return ProgramStats(
        _stats=stats,
        from_=stats.period.start,
        to=stats.period.end,
        currency=stats.currency,
        points_issued=flow.issued,
        points_redeemed=flow.redeemed,
        points_expired=flow.expired,
        points_adjusted=flow.adjusted,
        points_refunded=flow.refunded,
        outstanding_points=stats.outstanding_points,
        outstanding_pending_points=stats.outstanding_pending_points,
        redemption_rate=stats.redemption_rate,
        breakage=stats.breakage,
        active_members=stats.active_members,
        new_members=stats.new_members,
        orders=stats.totals.orders,
        customers=stats.totals.customers,
        repeat_customers=stats.totals.repeat_customers,
        repeat_purchase_rate=stats.repeat_purchase_rate,
        previous_customers=stats.totals.previous_customers,
        retained_customers=stats.totals.retained_customers,
        retention_rate=stats.retention_rate,
        purchase_frequency=value.purchase_frequency,
        lifespan_years=float(stats.lifespan_years),
        tier_distribution=[
            TierCount(
                tier_id=global_id("Tier", scope.require_tenant().slug, tier_id),
                name=(tiers[tier_id].name.pick(scope.locale) or tier_id)
                if tier_id in tiers
                else tier_id,
                members=count,
            )
            for tier_id, count in stats.by_tier
        ],
        segment_distribution=[
            SegmentCount(segment=Segment(s), members=n) for s, n in stats.by_segment
        ],
        top_rewards=[
            RewardStat(
                reward_id=global_id("Reward", scope.require_tenant().slug, r.reward_id),
                name=rewards[r.reward_id].name.pick(scope.locale)
                if r.reward_id in rewards
                else None,
                redemptions=r.redemptions,
                points_spent=r.points,
            )
            for r in stats.top_rewards
        ],
        outstanding_liability=_money(stats.outstanding_value),
        outstanding_pending_liability=_money(stats.outstanding_pending_value),
        revenue_from_members=_money(stats.revenue),
        refunded_amount=_money(stats.refunded),
        average_order_value=_dec(value.average_order_value),
        annual_customer_value=_dec(value.annual_customer_value),
        customer_lifetime_value=_dec(value.customer_lifetime_value),
    )
