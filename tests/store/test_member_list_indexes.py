"""Every filter and sort combination of the member list is hinted to a declared index whose
keys start with the query's equality fields and end with its sort."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from loyalty.directory import MemberFilter, MemberSort
from loyalty.member_search import search_terms
from loyalty.segments import Segment
from mongo.directory import member_query
from mongo.indexes import INDEXES


def test_each_combination_names_a_declared_index_matching_its_sort() -> None:
    declared = {m.document["name"]: list(m.document["key"].items()) for m in INDEXES["members"]}
    since = datetime(2026, 1, 1, tzinfo=UTC)
    for segment, tier, search, inactive, sort in itertools.product(
        (None, Segment.NEW), (None, "gold"), (None, "sara"), (None, since), MemberSort
    ):
        if search is not None and sort is not MemberSort.JOINED_DESC:
            continue  # refused by the use case (SEARCH_SORT_UNSUPPORTED)
        where = MemberFilter(
            segment=segment,
            tier_id=tier,
            search=None if search is None else search_terms(search),
            inactive_since=inactive,
        )
        _, order, index = member_query("acme", where, sort, None)
        keys = declared[index]
        assert keys[0] == ("tenant", 1)
        assert keys[-2:] == order, (index, order)
        equality = {"segment", "tier_status.tier_id", "search_keys"}
        assert {k for k, _ in keys[1:-2]} <= equality


def test_inactive_since_bounds_the_sort_field_it_implies() -> None:
    # given "no order since" a date, sorted by join date or by last order
    since = datetime(2026, 1, 1, tzinfo=UTC)
    where = MemberFilter(inactive_since=since)
    expected = {
        MemberSort.JOINED_DESC: {"joined_at": {"$lt": since}},
        MemberSort.LAST_ORDER_DESC: {"last_order_at": {"$not": {"$gte": since}}},
    }
    for sort, bound in expected.items():
        # when
        query, order, _ = member_query("acme", where, sort, None)
        # then the sort field (the index's range key) is bounded, not only the filter field
        assert order[0][0] in bound
        assert query == {
            "$and": [{"tenant": "acme"}, {"last_order_or_join_at": {"$lt": since}}, bound]
        }
