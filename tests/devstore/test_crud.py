"""The driver reads and writes through the dev store as through a server."""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo import ReturnDocument


def test_a_document_comes_back_through_bson_with_dates_to_the_millisecond(client):
    # given
    at = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    # when
    client.shop.orders.insert_one({"_id": "o1", "at": at, "total": 12.5, "lines": [1, 2]})
    # then: BSON keeps milliseconds, as a server does (the in-process store keeps microseconds)
    assert client.shop.orders.find_one({"_id": "o1"}) == {
        "_id": "o1",
        "at": datetime(2026, 3, 1, 9, 30, 15, 123000, tzinfo=UTC),
        "total": 12.5,
        "lines": [1, 2],
    }


def test_updates_count_what_they_matched_modified_and_upserted(client):
    # given
    orders = client.shop.orders
    orders.insert_many([{"_id": 1, "n": 0}, {"_id": 2, "n": 0}, {"_id": 3, "n": 5}])
    # when
    many = orders.update_many({"n": 0}, {"$inc": {"n": 1}})
    same = orders.update_one({"_id": 3}, {"$set": {"n": 5}})
    upsert = orders.update_one({"_id": 4}, {"$setOnInsert": {"n": 9}}, upsert=True)
    # then
    assert (many.matched_count, many.modified_count) == (2, 2)
    assert (same.matched_count, same.modified_count) == (1, 0)
    assert (upsert.matched_count, upsert.upserted_id) == (0, 4)
    assert [d["n"] for d in orders.find(sort=[("_id", 1)])] == [1, 1, 5, 9]


def test_find_and_modify_updates_the_first_in_sort_order_and_upserts(client):
    # given
    jobs = client.shop.jobs
    jobs.insert_many([{"_id": "a", "due": 3}, {"_id": "b", "due": 1}, {"_id": "c", "due": 2}])
    # when
    claimed = jobs.find_one_and_update(
        {"due": {"$lt": 10}},
        {"$set": {"owner": "w1"}},
        sort=[("due", 1)],
        return_document=ReturnDocument.AFTER,
    )
    created = jobs.find_one_and_update(
        {"_id": "z"}, {"$set": {"due": 0}}, upsert=True, return_document=ReturnDocument.AFTER
    )
    removed = jobs.find_one_and_delete({"_id": "c"})
    # then
    assert claimed == {"_id": "b", "due": 1, "owner": "w1"}
    assert list(created) == ["_id", "due"]
    assert created == {"_id": "z", "due": 0}
    assert removed == {"_id": "c", "due": 2}
    assert sorted(d["_id"] for d in jobs.find()) == ["a", "b", "z"]


def test_deletes_replacements_counts_and_aggregations(client):
    # given
    items = client.shop.items
    items.insert_many([{"_id": i, "kind": "odd" if i % 2 else "even"} for i in range(10)])
    # when
    one = items.delete_one({"kind": "odd"})
    many = items.delete_many({"kind": "even", "_id": {"$gte": 4}})
    items.replace_one({"_id": 0}, {"kind": "zero"})
    totals = list(items.aggregate([{"$group": {"_id": "$kind", "n": {"$sum": 1}}}]))
    # then
    assert (one.deleted_count, many.deleted_count) == (1, 3)
    assert items.count_documents({}) == 6
    assert items.estimated_document_count() == 6
    assert sorted((t["_id"], t["n"]) for t in totals) == [("even", 1), ("odd", 4), ("zero", 1)]


def test_indexes_are_created_listed_dropped_and_collections_dropped(client):
    # given
    members = client.shop.members
    members.create_index([("tenant", 1), ("email", 1)], name="tenant_email", unique=True)
    members.create_index([("tenant", 1), ("seen", -1)], name="tenant_seen")
    # when
    members.create_index([("tenant", 1), ("seen", -1)], name="tenant_seen")  # idempotent
    listed = members.index_information()
    members.drop_index("tenant_seen")
    after_drop = sorted(members.index_information())
    members.insert_one({"_id": 1})
    client.shop.drop_collection("members")
    # then
    assert listed["tenant_email"] == {"v": 2, "key": [("tenant", 1), ("email", 1)], "unique": True}
    assert sorted(listed) == ["_id_", "tenant_email", "tenant_seen"]
    assert after_drop == ["_id_", "tenant_email"]
    assert client.shop.list_collection_names() == []
