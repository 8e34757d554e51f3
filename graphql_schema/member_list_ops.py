"""members (merchant admin): the member list with filters, sorts and keyset pagination."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.common import PageInfo, decode_key_cursor, encode_key_cursor, page_size
from graphql_schema.context import Info
from graphql_schema.members import Member
from graphql_schema.node import optional_key
from graphql_schema.permissions import HasAdminScope
from graphql_schema.tiers import Segment
from loyalty import directory as domain
from resolvers import directory as resolve

strawberry.enum(domain.MemberSort, name="MemberSort")
MemberSort = domain.MemberSort
CURSOR_KIND = "member"


@strawberry.type
class MemberEdge:
    cursor: str
    node: Member


@strawberry.type
class MemberConnection:
    edges: list[MemberEdge]
    page_info: PageInfo


def _cursor(sort: domain.MemberSort, value: domain.SortValue, member_id: str) -> str:
    return encode_key_cursor(CURSOR_KIND, [sort.value, value, member_id])


def _after(sort: domain.MemberSort, cursor: str | None) -> domain.MemberKey | None:
    values = decode_key_cursor(CURSOR_KIND, cursor, 3)
    if values is None:
        return None
    cursor_sort, value, member_id = values
    # A cursor from another sort order would resume at a meaningless place.
    expected = int if sort is domain.MemberSort.LIFETIME_POINTS_DESC else datetime
    value_ok = isinstance(value, expected) or (
        value is None and sort is domain.MemberSort.LAST_ORDER_DESC
    )
    if cursor_sort != sort.value or not value_ok or not isinstance(member_id, str):
        resolve.bad_cursor()
    return domain.MemberKey(value, member_id)


@strawberry.type
class MemberListQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope],
        description=(
            "Members, newest first by default. `search` matches word prefixes of the name, "
            "email and external id, and phone digits (Arabic and Latin, all words must match); "
            "search results are in join order. `inactiveSince`: no order since then (and "
            "joined before). Bad arguments are top-level errors with extensions.code and "
            "extensions.field."
        ),
    )
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        segment: Segment | None = None,
        tier_id: strawberry.ID | None = None,
        search: str | None = None,
        inactive_since: datetime | None = None,
        sort: MemberSort = MemberSort.JOINED_DESC,
    ) -> MemberConnection:
        scope = info.context.scope
        limit = page_size(first)
        found = await resolve.members(
            scope,
            segment=segment,
            tier_id=optional_key(tier_id, "Tier", scope.require_tenant().slug),
            search=search,
            inactive_since=inactive_since,
            sort=sort,
            after=_after(sort, after),
            limit=limit + 1,
        )
        edges = [
            MemberEdge(
                cursor=_cursor(sort, domain.sort_value(m, sort), m.id), node=Member(_member=m)
            )
            for m in found[:limit]
        ]
        return MemberConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(found) > limit,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
