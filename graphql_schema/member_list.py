"""The member list (merchant admin): its sort orders, connection and keyset cursors."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.common import PageInfo, bad_cursor, decode_key_cursor, encode_key_cursor
from graphql_schema.members import Member
from loyalty import directory as domain

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


def member_cursor(sort: domain.MemberSort, value: domain.SortValue, member_id: str) -> str:
    return encode_key_cursor(CURSOR_KIND, [sort.value, value, member_id])


def member_after(sort: domain.MemberSort, cursor: str | None) -> domain.MemberKey | None:
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
        bad_cursor()
    return domain.MemberKey(value, member_id)
