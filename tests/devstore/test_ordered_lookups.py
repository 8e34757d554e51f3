"""A sorted find whose first sort key is the field a declared index has right after the fields
the filter pins reads the documents in that order and stops at its limit: the results are
still exactly mongomock's (ties in store order), through writes, for either direction, with
range bounds, skip and limit, and when some document holds no date there (then the find takes
the unordered path)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import bson
import mongomock
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mongo.devstore import fastpath
from mongo.devstore.engine import Engine
from mongo.devstore.server import build_engine

DATES = [datetime(2025, 3, 1, 9, 0) + timedelta(minutes=n) for n in range(3)]
MISSING = object()  # the document has no not_before
STATUSES = ["PENDING", "SENDING", "SENT"]
RIYADH = timezone(timedelta(hours=3))
CLAIM_INDEX = {
    "key": {"tenant": 1, "status": 1, "not_before": 1},
    "name": "tenant_status_not_before",
}

# Mostly dates (with many ties, and one a millisecond after another), now and then (one in
# eight) a value that is not a date.
STORED = [*DATES, DATES[1] + timedelta(milliseconds=1)]
ODD: list[Any] = [MISSING, None, 3, "x", [DATES[1]]]
sort_values = st.integers(0, 39).map(lambda n: ODD[n - 35] if n >= 35 else STORED[n % 4])
dates_only = st.sampled_from(DATES)
# A row now and then holds two statuses (it is under two keys of the index).
statuses = st.sampled_from([*STATUSES, *STATUSES, ["PENDING", "SENDING"], ["SENT", "SENT"]])
rows = st.tuples(st.sampled_from(["a", "a", "b"]), statuses, sort_values)
operations = st.one_of(
    st.tuples(st.just("status"), st.integers(0, 29), statuses),
    st.tuples(st.just("when"), st.integers(0, 29), sort_values),
    st.tuples(st.just("delete"), st.integers(0, 29)),
    st.tuples(st.just("reinsert"), st.integers(0, 29), rows),
)
bound_values = st.one_of(
    dates_only,
    dates_only.map(lambda at: at.replace(tzinfo=UTC)),
    dates_only.map(lambda at: (at + timedelta(hours=3)).replace(tzinfo=RIYADH)),
    dates_only.map(lambda at: at + timedelta(milliseconds=1)),
    dates_only.map(lambda at: at + timedelta(microseconds=500)),
)
range_conditions = st.dictionaries(st.sampled_from(["$lt", "$lte", "$gt", "$gte"]), bound_values)
sorts = st.one_of(
    st.sampled_from([1, -1]).map(lambda d: {"not_before": d}),
    st.tuples(st.sampled_from([1, -1]), st.sampled_from([1, -1])).map(
        lambda d: {"not_before": d[0], "rank": d[1]}
    ),
)


class Stores:
    """The dev store's engine and plain mongomock (its own scan and sort), given the same writes."""

    def __init__(self) -> None:
        self.engine = build_engine(None)
        self.reference = mongomock.MongoClient()["shop"]["outbox"]
        self.run({"createIndexes": "outbox", "indexes": [CLAIM_INDEX]})

    def run(self, command: dict[str, Any]) -> dict[str, Any]:
        reply = self.engine.run({**command, "$db": "shop"})
        assert reply["ok"] == 1.0, reply
        assert "writeErrors" not in reply, reply
        return reply

    def insert(self, number: int, row: tuple[str, Any, Any]) -> None:
        tenant, status, when = row
        doc = {"_id": number, "tenant": tenant, "status": status, "rank": number % 3}
        if when is not MISSING:
            doc["not_before"] = when
        self.run({"insert": "outbox", "documents": [doc]})
        self.reference.insert_one(dict(doc))

    def apply(self, operation: tuple[Any, ...]) -> None:
        kind, number = operation[0], operation[1]
        if self.reference.count_documents({"_id": number}) == 0:
            if kind == "reinsert":
                self.insert(number, operation[2])
            return
        if kind in ("delete", "reinsert"):
            self.run({"delete": "outbox", "deletes": [{"q": {"_id": number}, "limit": 1}]})
            self.reference.delete_one({"_id": number})
            if kind == "reinsert":
                self.insert(number, operation[2])
            return
        if kind == "status":
            update: dict[str, Any] = {"$set": {"status": operation[2]}}
        elif operation[2] is MISSING:
            update = {"$unset": {"not_before": ""}}
        else:
            update = {"$set": {"not_before": operation[2]}}
        self.run({"update": "outbox", "updates": [{"q": {"_id": number}, "u": update}]})
        self.reference.update_one({"_id": number}, update)

    def open(self, find: dict[str, Any], batch: int) -> tuple[list[Any], int]:
        reply = self.run({"find": "outbox", **find, "batchSize": batch})
        return _ids(reply["cursor"]["firstBatch"]), int(reply["cursor"]["id"])

    def rest(self, cursor_id: int) -> list[Any]:
        found: list[Any] = []
        while cursor_id:
            reply = self.run({"getMore": cursor_id, "collection": "outbox"})
            found += _ids(reply["cursor"]["nextBatch"])
            cursor_id = int(reply["cursor"]["id"])
        return found

    def found(self, find: dict[str, Any]) -> list[Any]:
        first, cursor_id = self.open(find, 1000)
        return first + self.rest(cursor_id)

    def expected(self, find: dict[str, Any]) -> list[Any]:
        cursor = self.reference.find(find["filter"], sort=list(find["sort"].items()))
        return [doc["_id"] for doc in cursor.skip(find["skip"]).limit(find["limit"])]


def _ids(batch: list[Any]) -> list[Any]:
    return [bson.decode(doc.raw)["_id"] for doc in batch]


finds = st.fixed_dictionaries(
    {
        "filter": st.fixed_dictionaries(
            {
                "tenant": st.sampled_from(["a", "b"]),
                "status": st.one_of(
                    st.sampled_from(STATUSES),
                    st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3).map(
                        lambda statuses: {"$in": statuses}
                    ),
                ),
            },
            optional={"not_before": range_conditions},
        ),
        "sort": sorts,
        "skip": st.integers(0, 3),
        "limit": st.sampled_from([0, 1, 2, 5]),
    }
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(rows, min_size=4, max_size=30),
    st.lists(st.tuples(operations, finds), max_size=8),
    finds,
)
def test_a_sorted_find_through_the_index_answers_what_mongomock_answers(initial, steps, held):
    # given documents, and a cursor opened on them that is read in batches of one across writes
    stores = Stores()
    for number, row in enumerate(initial):
        stores.insert(number, row)
    held_expected = stores.expected(held)
    held_first, held_cursor = stores.open(held, 1)
    for operation, find in steps:
        # when the documents change between sorted finds
        stores.apply(operation)
        # then each find answers what mongomock's own scan and sort answer
        assert stores.found(find) == stores.expected(find)
        count = {"aggregate": "outbox", "cursor": {}}
        pipeline = [{"$match": find["filter"]}, {"$group": {"_id": 1, "n": {"$sum": 1}}}]
        counted = stores.run({**count, "pipeline": pipeline})["cursor"]["firstBatch"]
        assert sum(group["n"] for group in counted) == stores.reference.count_documents(
            find["filter"]
        )
    # and the held cursor hands out what matched when it opened
    assert held_first + stores.rest(held_cursor) == held_expected


def _claims(engine: Engine, due: int, later: int) -> None:
    start = datetime(2025, 3, 1, 9, 0)
    docs = [
        {"_id": f"a:{n}", "tenant": "a", "status": "PENDING", "not_before": start}
        for n in range(due)
    ]
    docs += [
        {
            "_id": f"a:later:{n}",
            "tenant": "a",
            "status": "SENDING",
            "not_before": start + timedelta(hours=1),
        }
        for n in range(later)
    ]
    engine.run({"createIndexes": "outbox", "indexes": [CLAIM_INDEX], "$db": "shop"})
    engine.run({"insert": "outbox", "documents": docs, "$db": "shop"})


def _counting_tests(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every document the compiled filter is tested on."""
    tested: list[Any] = []
    compile_filter = fastpath.compile_filter

    def counting(spec: Any) -> Any:
        test = compile_filter(spec)
        if test is None:
            return None

        def counted(doc: Any) -> Any:
            tested.append(doc["_id"])
            return test(doc)

        return counted

    monkeypatch.setattr(fastpath, "compile_filter", counting)
    return tested


def test_a_claim_of_ten_from_ten_thousand_due_rows_tests_ten(monkeypatch: pytest.MonkeyPatch):
    # given 10,000 due rows of one tenant, all due at the same instant, and 1,000 not yet due
    engine = build_engine(None)
    _claims(engine, due=10_000, later=1_000)
    tested = _counting_tests(monkeypatch)
    due = {"$in": ["PENDING", "SENDING"]}
    claim = {"tenant": "a", "status": due, "not_before": {"$lte": datetime(2025, 3, 1, 9, 30)}}
    # when the outbox claims 10 of them
    reply = engine.run(
        {"find": "outbox", "filter": claim, "sort": {"not_before": 1}, "limit": 10, "$db": "shop"}
    )
    # then the first 10 in store order come back, and only they were tested
    assert _ids(reply["cursor"]["firstBatch"]) == [f"a:{n}" for n in range(10)]
    assert tested == [f"a:{n}" for n in range(10)]


def test_a_lower_bound_starts_the_reading_past_the_earlier_rows(monkeypatch: pytest.MonkeyPatch):
    # given 10,000 rows due at 09:00 and 1,000 at 10:00
    engine = build_engine(None)
    _claims(engine, due=10_000, later=1_000)
    tested = _counting_tests(monkeypatch)
    after_nine = {"tenant": "a", "status": {"$in": ["PENDING", "SENDING"]}}
    after_nine["not_before"] = {"$gt": datetime(2025, 3, 1, 9, 0, tzinfo=UTC)}
    # when the 5 latest rows are asked for, in descending order, and the 5 earliest after 09:00
    latest = engine.run(
        {"find": "outbox", "filter": after_nine, "sort": {"not_before": -1}, "limit": 5}
        | {"$db": "shop"}
    )
    earliest = engine.run(
        {"find": "outbox", "filter": after_nine, "sort": {"not_before": 1}, "limit": 5}
        | {"$db": "shop"}
    )
    # then both are the first five 10:00 rows in store order (ties keep the store's order),
    # and no 09:00 row was tested
    expected = [f"a:later:{n}" for n in range(5)]
    assert _ids(latest["cursor"]["firstBatch"]) == expected
    assert _ids(earliest["cursor"]["firstBatch"]) == expected
    assert tested == expected + expected


def test_a_count_through_a_look_up_does_not_order_the_candidates(
    monkeypatch: pytest.MonkeyPatch,
):
    # given
    engine = build_engine(None)
    _claims(engine, due=30, later=20)

    def no_sorting(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the candidates of a count were sorted")

    monkeypatch.setattr("mongo.devstore.lookups.sorted", no_sorting, raising=False)
    due = {"tenant": "a", "status": "SENDING", "not_before": {"$gt": datetime(2025, 3, 1, 9)}}
    pipeline = [{"$match": due}, {"$group": {"_id": 1, "n": {"$sum": 1}}}]
    # when
    counted = engine.run({"aggregate": "outbox", "pipeline": pipeline, "cursor": {}, "$db": "shop"})
    counts = engine.run({"count": "outbox", "query": due, "$db": "shop"})
    # then
    assert counted["cursor"]["firstBatch"] == [{"_id": 1, "n": 20}]
    assert counts["n"] == 20


def test_a_count_of_the_index_fields_alone_tests_no_document(monkeypatch: pytest.MonkeyPatch):
    # given 30 PENDING and 20 SENDING rows
    engine = build_engine(None)
    _claims(engine, due=30, later=20)
    tested = _counting_tests(monkeypatch)
    query = {"tenant": "a", "status": {"$in": ["PENDING", "SENDING"]}}
    pipeline = [{"$match": query}, {"$group": {"_id": 1, "n": {"$sum": 1}}}]
    # when
    counted = engine.run({"aggregate": "outbox", "pipeline": pipeline, "cursor": {}, "$db": "shop"})
    counts = engine.run(
        {"count": "outbox", "query": {"tenant": "a", "status": "SENDING"}} | {"$db": "shop"}
    )
    # then
    assert counted["cursor"]["firstBatch"] == [{"_id": 1, "n": 50}]
    assert counts["n"] == 20
    assert tested == []


@pytest.mark.parametrize("op", ["$lt", "$lte", "$gt", "$gte"])
@pytest.mark.parametrize("offset", [-1000, 0, 500, 1000])
@pytest.mark.parametrize("direction", [1, -1])
def test_a_bound_at_or_next_to_a_stored_date_keeps_what_matches(op, offset, direction):
    # given rows a millisecond apart around 09:01, several at each instant
    stores = Stores()
    middle = DATES[1]
    for number in range(12):
        at = middle + timedelta(milliseconds=number % 3 - 1)
        stores.insert(number, ("a", "PENDING", at))
    bound = middle + timedelta(microseconds=offset)
    find = {
        "filter": {"tenant": "a", "status": "PENDING", "not_before": {op: bound}},
        "sort": {"not_before": direction},
        "skip": 0,
        "limit": 0,
    }
    # when
    found = stores.found(find)
    # then
    assert found == stores.expected(find)
