"""Statistics for the merchant: one use case per request, the series only when asked."""

from __future__ import annotations

from datetime import datetime

from graphql_schema.context import RequestScope
from loyalty.analytics import Granularity, SeriesPoint, StatsRange
from loyalty.clock import ensure_utc
from loyalty.rewards import Reward
from loyalty.usecases import stats


async def program_stats(
    scope: RequestScope, start: datetime, end: datetime, lifespan: float | None
) -> stats.ProgramStats:
    # A DateTime without an offset is read as UTC, like every time the API returns.
    return await stats.program_stats(
        scope.deps,
        scope.require_tenant(),
        start=ensure_utc(start),
        end=ensure_utc(end),
        lifespan=lifespan,
    )


async def series(
    scope: RequestScope, period: StatsRange, granularity: Granularity
) -> list[SeriesPoint]:
    return await stats.stats_series(scope.deps, scope.require_tenant(), period, granularity)


async def rewards_by_id(scope: RequestScope) -> dict[str, Reward]:
    return {r.id: r for r in await scope.rewards(active_only=False)}
