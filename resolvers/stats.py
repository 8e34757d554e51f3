"""stats (merchant admin): the dashboard's figures for a period."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graphql_schema.context import Info
from graphql_schema.permissions import HasAdminScope
from graphql_schema.stats import ProgramStats, program_stats
from loyalty.clock import ensure_utc
from loyalty.usecases import stats


@strawberry.type
class StatsQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope],
        description=(
            "Figures for [from, to) (at most 5 years). Bad arguments are top-level errors "
            "with extensions.code and extensions.field."
        ),
    )
    async def stats(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        lifespan_years: Annotated[
            float, strawberry.argument(description="Expected customer lifespan (CLV), years.")
        ] = 3.0,
    ) -> ProgramStats:
        scope = info.context.scope
        # A DateTime without an offset is read as UTC, like every time the API returns.
        figures = await stats.program_stats(
            scope.deps,
            scope.require_tenant(),
            start=ensure_utc(from_),
            end=ensure_utc(to),
            lifespan=lifespan_years,
        )
        return await program_stats(info, figures)
