"""The member list: filters, sorts and keyset pagination, each query on a named index.

Sort order is (sort field, _id) descending. A page resumes strictly after the last member
shown, so members inserted or moved meanwhile never make a page repeat or skip the others.
Missing values (no order yet) sort last, as MongoDB orders null below any date.
"""

from __future__ import annotations

from typing import Any

from bson import ObjectId
from bson.errors import InvalidId

from loyalty.directory import MemberFilter, MemberKey, MemberSort, SortValue
from loyalty.errors import DomainError, ErrorCode
from loyalty.members import Member
from mongo.indexes import MEMBER_SORT_FIELDS, member_list_index
from mongo.members import member_from

SORT_NAMES = {
    MemberSort.LIFETIME_POINTS_DESC: "lifetime",
    MemberSort.LAST_ORDER_DESC: "last_order",
    MemberSort.JOINED_DESC: "joined",
}
# The wallet's lots and journal are not needed to list members (balances come from lots, so
# they are kept; the journal can be long and is not).
PROJECTION = {"wallet.journal": 0, "search_keys": 0}


def _after(field: str, key: MemberKey) -> dict[str, Any]:
    try:
        oid = ObjectId(key.member_id)
    except (InvalidId, TypeError) as exc:
        raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor") from exc
    value: SortValue = key.value
    if value is None:
        return {field: None, "_id": {"$lt": oid}}
    return {
        "$or": [
            {field: {"$lt": value}},
            {field: value, "_id": {"$lt": oid}},
            {field: None},  # no value yet: after every member that has one
        ]
    }


def _index(where: MemberFilter, sort_name: str) -> str:
    if where.search is not None:
        return member_list_index("search", "joined")
    # Tier before segment: a program has more segments filled than tiers, so a tier is
    # usually the narrower range; the other equality is checked on the scan.
    if where.tier_id is not None:
        return member_list_index("tier", sort_name)
    if where.segment is not None:
        return member_list_index("segment", sort_name)
    return member_list_index(None, sort_name)


def member_query(
    tenant: str, where: MemberFilter, sort: MemberSort, after: MemberKey | None
) -> tuple[dict[str, Any], list[tuple[str, int]], str]:
    """The filter document, the sort and the index name that serves them."""
    sort_name = SORT_NAMES[sort]
    field = MEMBER_SORT_FIELDS[sort_name]
    clauses: list[dict[str, Any]] = [{"tenant": tenant}]
    if where.segment is not None:
        clauses.append({"segment": where.segment.value})
    if where.tier_id is not None:
        clauses.append({"tier_status.tier_id": where.tier_id})
    if where.search is not None:
        clauses += [{"search_keys": {"$in": list(term)}} for term in where.search.terms]
    if where.inactive_since is not None:
        clauses.append({"last_order_or_join_at": {"$lt": where.inactive_since}})
        # Each implied by the filter, and it bounds the sorted index's scan to the inactive
        # members instead of walking past every recently active one first.
        if sort is MemberSort.JOINED_DESC:
            clauses.append({"joined_at": {"$lt": where.inactive_since}})
        if sort is MemberSort.LAST_ORDER_DESC:
            # "Before, or never ordered": $not keeps the missing values, whose index key (null)
            # sorts below every date, inside the same single range.
            clauses.append({"last_order_at": {"$not": {"$gte": where.inactive_since}}})
    if after is not None:
        clauses.append(_after(field, after))
    query = clauses[0] if len(clauses) == 1 else {"$and": clauses}
    return query, [(field, -1), ("_id", -1)], _index(where, sort_name)


class MongoDirectory:
    def __init__(self, db: Any) -> None:
        self._c = db["members"]

    async def page(
        self,
        tenant: str,
        where: MemberFilter,
        sort: MemberSort,
        after: MemberKey | None,
        limit: int,
    ) -> list[Member]:
        query, order, index = member_query(tenant, where, sort, after)
        cursor = self._c.find(query, PROJECTION).sort(order).hint(index).limit(limit)
        return [member_from(doc) for doc in await cursor.to_list(None)]
