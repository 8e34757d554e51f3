"""Badge definitions and a member's badges."""

from __future__ import annotations

from graphql_schema.context import RequestScope
from loyalty.badges import Badge
from loyalty.members import Member
from loyalty.usecases import badge_admin, badges


async def upsert_badge(scope: RequestScope, data: badge_admin.BadgeInput) -> Badge:
    return await badge_admin.upsert_badge(scope.deps, scope.require_tenant(), data)


async def member_badges(scope: RequestScope, member: Member) -> list[badges.BadgeProgress]:
    return await badges.member_badges(scope.deps, scope.require_tenant(), member)
