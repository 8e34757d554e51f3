"""leaderboard (member)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.leaderboard import Leaderboard, LeaderboardPeriod, leaderboard_of
from graphql_schema.permissions import IsMember
from loyalty.usecases import leaderboards


@strawberry.type
class LeaderboardQuery:
    @strawberry.field(permission_classes=[IsMember])
    async def leaderboard(
        self, info: Info, period: LeaderboardPeriod, first: int | None = 10
    ) -> Leaderboard:
        scope = info.context.scope
        board = await leaderboards.read(
            scope.deps,
            scope.require_tenant(),
            scope.require_member(),
            period,
            10 if first is None else first,
        )
        return leaderboard_of(board, scope.locale)
