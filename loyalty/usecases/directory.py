"""Member administration: the member list and each member's orders and redemptions.

Bad arguments are DomainErrors with the argument's name as field; query fields turn them into
coded top-level errors."""

from __future__ import annotations

from datetime import datetime

from loyalty.directory import MemberFilter, MemberKey, MemberSort, TimeKey
from loyalty.errors import DomainError, ErrorCode
from loyalty.member_search import MAX_SEARCH, search_terms
from loyalty.members import Member
from loyalty.orders import Order
from loyalty.ports import Deps
from loyalty.program import BASE_TIER
from loyalty.rewards import Redemption
from loyalty.segments import Segment
from loyalty.tenants import Tenant


def member_filter(
    tenant: Tenant,
    *,
    segment: Segment | None,
    tier_id: str | None,
    search: str | None,
    inactive_since: datetime | None,
    sort: MemberSort,
) -> MemberFilter:
    if tier_id is not None and tier_id != BASE_TIER.id and tenant.program.tier(tier_id) is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("tierId",))
    terms = None
    if search is not None:
        if len(search) > MAX_SEARCH:
            raise DomainError(ErrorCode.TOO_LONG, ("search",), max=MAX_SEARCH)
        terms = search_terms(search)
        if not terms.terms:
            raise DomainError(ErrorCode.INVALID_INPUT, ("search",), detail="search")
        if sort is not MemberSort.JOINED_DESC:
            # Sorting a search by a wallet figure would need the figure in the multikey search
            # index, rewriting ~100 index entries on every points movement.
            raise DomainError(ErrorCode.SEARCH_SORT_UNSUPPORTED, ("sort",))
    return MemberFilter(
        segment=segment, tier_id=tier_id, search=terms, inactive_since=inactive_since
    )


async def list_members(
    deps: Deps,
    tenant: Tenant,
    where: MemberFilter,
    sort: MemberSort,
    after: MemberKey | None,
    limit: int,
) -> list[Member]:
    """Up to `limit` members after `after` in `sort` order (ties by id, newest first)."""
    return await deps.directory.page(tenant.slug, where, sort, after, limit)


async def member_orders(
    deps: Deps, member: Member, after: TimeKey | None, limit: int
) -> list[Order]:
    return await deps.history.orders(member.tenant, member.id, after, limit)


async def member_redemptions(
    deps: Deps, member: Member, after: TimeKey | None, limit: int
) -> list[Redemption]:
    return await deps.history.redemptions(member.tenant, member.id, after, limit)
