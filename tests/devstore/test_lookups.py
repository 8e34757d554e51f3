"""Queries pinning a declared index's leading fields read only the documents holding those
values, and still answer exactly what a scan answers, in the scan's order, through inserts,
updates, deletes and re-inserts; top-level `$set`/`$inc` change the stored documents in place
exactly as mongomock's update does."""

from __future__ import annotations

from typing import Any

import bson
import mongomock
import pytest
from bson import ObjectId
from hypothesis import given, settings
from hypothesis import strategies as st
from mongomock.filtering import filter_applies

from mongo.devstore import fastpath
from mongo.devstore.engine import Engine
from mongo.devstore.lookup_maps import Map
from mongo.devstore.lookups import Lookups
from mongo.devstore.server import build_engine

IDS = [ObjectId("65a1b2c3d4e5f6a7b8c9d0e1"), ObjectId("65a1b2c3d4e5f6a7b8c9d0e2")]
VALUES = ["m1", "m2", "m3", *IDS]
field_values = st.one_of(
    st.sampled_from(VALUES),
    st.none(),
    st.sampled_from([1, 2.0, True]),
    st.lists(st.sampled_from(VALUES), max_size=2),
)


def _run(engine: Engine, command: dict[str, Any]) -> dict[str, Any]:
    reply = engine.run({**command, "$db": "shop"})
    assert reply["ok"] == 1.0, reply
    return reply


def _find(engine: Engine, query: dict[str, Any]) -> list[Any]:
    reply = _run(engine, {"find": "devices", "filter": query, "batchSize": 1000})
    return [bson.decode(doc.raw)["_id"] for doc in reply["cursor"]["firstBatch"]]


def _engine_with_index() -> Engine:
    engine = build_engine(None)
    index = {"key": {"tenant": 1, "member_id": 1}, "name": "tenant_member"}
    _run(engine, {"createIndexes": "devices", "indexes": [index]})
    return engine


def _scanned(docs: dict[int, dict[str, Any]], query: dict[str, Any]) -> list[int]:
    return [doc_id for doc_id, doc in docs.items() if filter_applies(query, doc)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["a", "b"]), field_values), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), field_values, st.booleans()), max_size=6),
    st.lists(st.sampled_from(VALUES), min_size=1, max_size=3),
)
def test_an_index_look_up_answers_what_the_scan_answers(rows, changes, wanted):
    # given documents, some then changed or deleted and inserted again (to the end)
    engine = _engine_with_index()
    docs: dict[int, dict[str, Any]] = {}
    for number, (tenant, member) in enumerate(rows):
        docs[number] = {"_id": number, "tenant": tenant, "member_id": member}
        _run(engine, {"insert": "devices", "documents": [docs[number]]})
    query = {"tenant": "a", "member_id": {"$in": wanted}}
    _find(engine, query)  # the look-up's map is built here, and kept up to date below
    for number, member, reinsert in changes:
        if number not in docs:
            continue
        if reinsert:
            _run(engine, {"delete": "devices", "deletes": [{"q": {"_id": number}, "limit": 1}]})
            docs.pop(number)
            docs[number] = {"_id": number, "tenant": "a", "member_id": member}
            _run(engine, {"insert": "devices", "documents": [docs[number]]})
        else:
            docs[number]["member_id"] = member
            update = {"q": {"_id": number}, "u": {"$set": {"member_id": member}}}
            _run(engine, {"update": "devices", "updates": [update]})
    # when
    found = _find(engine, query)
    # then
    assert found == _scanned(docs, query)


def test_a_pinned_query_reads_only_the_documents_the_index_names():
    # given 200 devices of two tenants
    engine = _engine_with_index()
    devices = [
        {"_id": n, "tenant": "a" if n % 2 else "b", "member_id": f"m{n}"} for n in range(200)
    ]
    _run(engine, {"insert": "devices", "documents": devices})
    tested: list[Any] = []
    real = mongomock.filtering.filter_applies

    def counting(spec: Any, doc: Any) -> bool:
        tested.append(doc.get("_id"))
        return bool(real(spec, doc))

    query = {"tenant": "a", "member_id": {"$in": ["m1", "m3", "m4"]}, "x": {"$exists": False}}
    # when (a filter the compiler leaves to mongomock, so each candidate is counted)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("mongo.devstore.catalog.filter_applies", counting)
        found = _find(engine, query)
    # then
    assert found == [1, 3]
    assert sorted(set(tested) - {None}) == [1, 3]


def test_an_update_of_fields_no_map_holds_leaves_the_maps_alone():
    # given devices looked up once through (tenant, member_id)
    engine = _engine_with_index()
    devices = [{"_id": n, "tenant": "a", "member_id": f"m{n % 3}"} for n in range(6)]
    _run(engine, {"insert": "devices", "documents": devices})
    assert _find(engine, {"tenant": "a", "member_id": "m1"}) == [1, 4]
    puts: list[Any] = []
    real = Map.put

    def counting(self: Map, doc: dict[str, Any], position: int) -> None:
        puts.append(doc["_id"])
        real(self, doc, position)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Map, "put", counting)
        # when one update sets a field the map does not hold, and another moves a device
        seen = {"q": {"tenant": "a"}, "u": {"$set": {"seen": 1}}, "multi": True}
        moved = {"q": {"_id": 4}, "u": {"$set": {"member_id": "m2"}}}
        _run(engine, {"update": "devices", "updates": [seen, moved]})
    # then only the moved device was put in the map again, and the look-ups follow it
    assert puts == [4]
    assert _find(engine, {"tenant": "a", "member_id": "m1"}) == [1]
    assert _find(engine, {"tenant": "a", "member_id": "m2"}) == [2, 4, 5]


def test_without_a_declared_index_of_two_fields_nothing_is_looked_up():
    # given
    lookups = Lookups(build_engine(None).catalog)
    # when
    found = lookups.candidates("shop.devices", {"tenant": "a"}, list, {})
    # then
    assert found is None


plain_updates = st.fixed_dictionaries(
    {},
    optional={
        "$set": st.dictionaries(
            st.sampled_from(["a", "b", "c"]),
            st.one_of(
                st.integers(-3, 3), st.text(max_size=2), st.lists(st.integers(-3, 3), max_size=2)
            ),
            min_size=1,
        ),
        "$inc": st.dictionaries(
            st.sampled_from(["n", "m"]),
            st.one_of(st.integers(-3, 3), st.sampled_from([0.5, -1.0])),
            min_size=1,
        ),
    },
).filter(bool)
stored_values = st.one_of(st.integers(-3, 3), st.sampled_from([1.5, "x", None]))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.dictionaries(st.sampled_from(["a", "n", "m", "z"]), stored_values), max_size=4),
    plain_updates,
)
def test_set_and_inc_in_place_change_documents_as_mongomock_does(rows, update):
    # given the same documents in the dev store and in plain mongomock
    engine = build_engine(None)
    reference = mongomock.MongoClient().shop.items
    docs = [{"_id": n, **row} for n, row in enumerate(rows)]
    if docs:
        _run(engine, {"insert": "items", "documents": docs})
        reference.insert_many([dict(doc) for doc in docs])
    # when
    reply = engine.run(
        {"update": "items", "updates": [{"q": {}, "u": update, "multi": True}], "$db": "shop"}
    )
    try:
        expected = reference.update_many({}, update)
    except (mongomock.WriteError, TypeError):  # ($inc of a string or null)
        expected = None
    # then
    if expected is None:
        assert "writeErrors" in reply
    else:
        assert (reply["n"], reply["nModified"]) == (expected.matched_count, expected.modified_count)
    found = _run(engine, {"find": "items", "filter": {}})["cursor"]["firstBatch"]
    assert [bson.decode(doc.raw) for doc in found] == list(reference.find())


def test_a_plain_update_does_not_go_through_mongomocks_update():
    # given
    engine = build_engine(None)
    _run(engine, {"insert": "items", "documents": [{"_id": 1, "n": 1}, {"_id": 2, "n": 5}]})
    update = {"q": {}, "u": {"$set": {"s": "SENT"}, "$inc": {"n": 1}}, "multi": True}
    # when mongomock's own update would fail
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mongomock.collection.Collection, "_update", None)
        reply = _run(engine, {"update": "items", "updates": [update]})
    # then
    assert (reply["n"], reply["nModified"]) == (2, 2)
    found = _run(engine, {"find": "items", "filter": {}})["cursor"]["firstBatch"]
    assert [bson.decode(doc.raw) for doc in found] == [
        {"_id": 1, "n": 2, "s": "SENT"},
        {"_id": 2, "n": 6, "s": "SENT"},
    ]


def test_an_in_process_memory_store_keeps_mongomocks_own_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: a dev store engine in this process (its fast path is installed on mongomock's
    # Collection) and a plain mongomock client, as memory:// uses
    build_engine(None)
    plain = mongomock.MongoClient()["shop"]["members"]
    plain.insert_many([{"_id": "m1", "tier": "gold"}, {"_id": "m2", "tier": "silver"}])

    def dev_store_only(*args: Any) -> Any:
        raise AssertionError("the dev store's fast path served a memory:// client")

    monkeypatch.setattr(fastpath, "_by_ids", dev_store_only)
    monkeypatch.setattr(fastpath, "_scan", dev_store_only)
    # when
    by_id = list(plain.find({"_id": {"$in": ["m2", "m1"]}}))
    by_tier = list(plain.find({"tier": "gold"}))
    # then
    assert [doc["_id"] for doc in by_id] == ["m1", "m2"]
    assert [doc["_id"] for doc in by_tier] == ["m1"]
