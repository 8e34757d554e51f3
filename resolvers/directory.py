"""Member administration: the member list, and a member's orders and redemptions."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from graphql_schema.context import RequestScope
from loyalty.clock import ensure_utc
from loyalty.directory import MemberKey, MemberSort, TimeKey
from loyalty.errors import DomainError, ErrorCode
from loyalty.members import Member
from loyalty.orders import Order
from loyalty.rewards import Redemption
from loyalty.segments import Segment
from loyalty.usecases import directory


def bad_cursor() -> NoReturn:
    raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")


async def members(
    scope: RequestScope,
    *,
    segment: Segment | None,
    tier_id: str | None,
    search: str | None,
    inactive_since: datetime | None,
    sort: MemberSort,
    after: MemberKey | None,
    limit: int,
) -> list[Member]:
    tenant = scope.require_tenant()
    where = directory.member_filter(
        tenant,
        segment=segment,
        tier_id=tier_id,
        search=search,
        # A DateTime without an offset is read as UTC, like every time the API returns.
        inactive_since=None if inactive_since is None else ensure_utc(inactive_since),
        sort=sort,
    )
    return await directory.list_members(scope.deps, tenant, where, sort, after, limit)


async def orders(
    scope: RequestScope, member: Member, after: TimeKey | None, limit: int
) -> list[Order]:
    return await directory.member_orders(scope.deps, member, after, limit)


async def redemptions(
    scope: RequestScope, member: Member, after: TimeKey | None, limit: int
) -> list[Redemption]:
    return await directory.member_redemptions(scope.deps, member, after, limit)
