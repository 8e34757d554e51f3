"""Filters compiled for the dev store's scans decide exactly as mongomock's interpreter does,
or defer to it; the shapes the reminder and drain scans use are decided without it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bson import ObjectId
from hypothesis import given, settings
from hypothesis import strategies as st
from mongomock.filtering import filter_applies

from mongo.devstore.predicates import compile_filter

DAYS = [datetime(2026, 1, day) for day in (1, 8, 15, 31)]
IDS = [ObjectId("65a1b2c3d4e5f6a7b8c9d0e1"), ObjectId("65a1b2c3d4e5f6a7b8c9d0e2")]
PATHS = ["a", "b", "w.d", "w.e"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1, 2),
    st.sampled_from([0.0, 1.0, 1.5]),
    st.sampled_from(["", "x", "y"]),
    st.sampled_from(IDS),
    st.sampled_from(DAYS),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["d", "e"]), inner)
    ),
    max_leaves=6,
)
documents = st.dictionaries(st.sampled_from(["a", "b", "w"]), values)
bounds = st.dictionaries(st.sampled_from(["$gt", "$gte", "$lt", "$lte"]), st.sampled_from(DAYS))
conditions = st.one_of(
    scalars.filter(lambda v: not isinstance(v, float | datetime)),
    st.lists(st.sampled_from(["x", "y", *IDS]), min_size=1, max_size=3).map(lambda v: {"$in": v}),
    bounds.filter(bool),
    bounds.filter(bool).map(lambda b: {"$elemMatch": b}),
)
leaves = st.dictionaries(st.sampled_from(PATHS), conditions, min_size=1, max_size=2)
filters = st.recursive(
    leaves,
    lambda inner: st.sampled_from(["$or", "$and"]).flatmap(
        lambda op: st.lists(inner, min_size=1, max_size=3).map(lambda parts: {op: parts})
    ),
    max_leaves=4,
)


@settings(max_examples=400, deadline=None)
@given(spec=filters, doc=documents)
def test_a_compiled_filter_agrees_with_mongomock_or_defers(
    spec: dict[str, Any], doc: dict[str, Any]
) -> None:
    # given a filter of a compiled shape
    test = compile_filter(spec)
    assert test is not None
    # when it decides a document
    verdict = test(doc)
    # then it is mongomock's answer, or no answer
    assert verdict is None or verdict == bool(filter_applies(spec, doc))


def test_the_reminder_scan_is_decided_without_mongomock() -> None:
    # given the reminder job's query over two windows
    spec = {
        "tenant": "acme",
        "$or": [
            {"wallet.expiry_dates": {"$elemMatch": {"$gt": DAYS[0], "$lte": DAYS[1]}}},
            {"wallet.expiry_dates": {"$elemMatch": {"$gt": DAYS[2], "$lte": DAYS[3]}}},
        ],
    }
    test = compile_filter(spec)
    assert test is not None
    # when / then: each wallet is decided, never deferred
    assert test({"tenant": "acme", "wallet": {"expiry_dates": [DAYS[1]]}}) is True
    assert test({"tenant": "acme", "wallet": {"expiry_dates": [DAYS[3], DAYS[0]]}}) is True
    assert test({"tenant": "acme", "wallet": {"expiry_dates": [DAYS[0], DAYS[2]]}}) is False
    assert test({"tenant": "other", "wallet": {"expiry_dates": [DAYS[1]]}}) is False
    assert test({"tenant": "acme", "wallet": {"expiry_dates": []}}) is False


def test_other_shapes_are_left_to_mongomock() -> None:
    # given filters with operators or values the compiler does not handle
    unhandled = [
        {"a": {"$regex": "x"}},
        {"a": {"$ne": "x"}},
        {"a": {"b": 1}},
        {"a.0": "x"},
        {"$expr": {"$eq": ["$a", 1]}},
        {"a": {"$gt": 5}},
        {"a": {"$in": [1, 2]}},
    ]
    # when / then
    assert [compile_filter(spec) for spec in unhandled] == [None] * len(unhandled)
