"""stats (merchant admin): the dashboard's figures for a period."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graphql_schema.context import Info
from graphql_schema.permissions import HasAdminScope
from graphql_schema.stats import ProgramStats, program_stats
from resolvers import stats as resolve


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
        stats = await resolve.program_stats(scope, from_, to, lifespan_years)
        return await program_stats(info, stats)
