"""Program statistics for the merchant's dashboard: aggregations in the store, arithmetic in
loyalty.analytics. The aggregations are independent, so they run concurrently."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from loyalty import analytics
from loyalty.analytics import (
    CustomerValue,
    Granularity,
    MemberGroup,
    OrderTotals,
    PointsFlow,
    RewardCount,
    SeriesPoint,
    StatsRange,
)
from loyalty.money import currency_precision
from loyalty.ports import Deps
from loyalty.tenants import Tenant

TOP_REWARDS = 10


@dataclass(frozen=True)
class ProgramStats:
    period: StatsRange
    currency: str
    flow: PointsFlow
    outstanding_points: int
    outstanding_pending_points: int
    outstanding_value: Decimal
    outstanding_pending_value: Decimal
    redemption_rate: float | None
    breakage: float | None
    active_members: int
    new_members: int
    totals: OrderTotals
    repeat_purchase_rate: float | None
    retention_rate: float | None
    value: CustomerValue
    lifespan_years: Decimal
    revenue: Decimal
    refunded: Decimal
    by_tier: list[tuple[str, int]]
    by_segment: list[tuple[str, int]]
    top_rewards: list[RewardCount]


def _points_value(points: int, point_value: Decimal, currency: str) -> Decimal:
    places = Decimal(1).scaleb(-currency_precision(currency))
    return (point_value * points).quantize(places, ROUND_HALF_UP)


async def program_stats(
    deps: Deps, tenant: Tenant, *, start: datetime, end: datetime, lifespan: float | None
) -> ProgramStats:
    period = analytics.stats_range(start, end)
    years = analytics.lifespan_years(lifespan)
    store = deps.analytics
    sums, totals, active, joined, groups, top = await asyncio.gather(
        store.points_by_type(tenant.slug, period),
        store.order_totals(tenant.slug, period),
        store.active_members(tenant.slug, period),
        store.new_members(tenant.slug, period),
        store.member_groups(tenant.slug),
        store.top_rewards(tenant.slug, period, TOP_REWARDS),
    )
    return _assemble(tenant, period, years, sums, totals, active, joined, groups, top)


def _assemble(
    tenant: Tenant,
    period: StatsRange,
    years: Decimal,
    sums: dict[str, int],
    totals: OrderTotals,
    active: int,
    joined: int,
    groups: list[MemberGroup],
    top: list[RewardCount],
) -> ProgramStats:
    program = tenant.program
    currency = program.currency
    flow = analytics.points_flow(sums)
    # Stored balances are the ledger's figures as of each wallet's last write; the scheduler
    # settles due wallets every tick, so expiries lag by at most one tick here.
    balance = sum(g.balance for g in groups)
    pending = sum(g.pending for g in groups)
    return ProgramStats(
        period=period,
        currency=currency,
        flow=flow,
        outstanding_points=balance,
        outstanding_pending_points=pending,
        outstanding_value=_points_value(balance, program.point_value, currency),
        outstanding_pending_value=_points_value(pending, program.point_value, currency),
        redemption_rate=analytics.ratio(flow.redeemed, flow.issued),
        breakage=analytics.ratio(flow.expired, flow.issued),
        active_members=active,
        new_members=joined,
        totals=totals,
        repeat_purchase_rate=analytics.ratio(totals.repeat_customers, totals.customers),
        retention_rate=analytics.ratio(totals.retained_customers, totals.previous_customers),
        value=analytics.customer_value(totals, period, currency, years),
        lifespan_years=years,
        revenue=analytics.money(totals.revenue_minor, currency),
        refunded=analytics.money(totals.refunded_minor, currency),
        by_tier=analytics.tally(groups, "tier"),
        by_segment=analytics.tally(groups, "segment"),
        top_rewards=top,
    )


async def stats_series(
    deps: Deps, tenant: Tenant, period: StatsRange, granularity: Granularity
) -> list[SeriesPoint]:
    """The main figures per day, week or month in the tenant's time zone."""
    edges = analytics.bucket_boundaries(period, granularity, tenant.program.zone())
    return await deps.analytics.series(tenant.slug, period, edges)
