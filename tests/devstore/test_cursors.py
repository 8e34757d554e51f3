"""Results come in batches through getMore; a cursor closed early is gone on the server."""

from __future__ import annotations

import pytest
from pymongo.errors import OperationFailure


def test_a_query_larger_than_a_batch_is_read_across_get_more_calls(client, store):
    # given
    client.shop.items.insert_many([{"_id": i} for i in range(250)])
    # when
    cursor = client.shop.items.find(sort=[("_id", 1)], batch_size=7)
    first = [next(cursor)["_id"] for _ in range(7)]
    rest = [doc["_id"] for doc in cursor]
    # then
    assert first + rest == list(range(250))
    assert store.engine.cursors._open == {}


def test_the_first_batch_is_101_documents_and_the_next_the_rest(client):
    # given
    client.shop.items.insert_many([{"_id": i} for i in range(150)])
    # when
    reply = client.shop.command("find", "items")
    more = client.shop.command("getMore", reply["cursor"]["id"], collection="items")
    # then
    assert len(reply["cursor"]["firstBatch"]) == 101
    assert len(more["cursor"]["nextBatch"]) == 49
    assert more["cursor"]["id"] == 0


def test_a_killed_cursor_cannot_be_continued(client):
    # given
    client.shop.items.insert_many([{"_id": i} for i in range(20)])
    reply = client.shop.command("find", "items", batchSize=5)
    cursor_id = reply["cursor"]["id"]
    # when
    killed = client.shop.command("killCursors", "items", cursors=[cursor_id])
    with pytest.raises(OperationFailure) as caught:
        client.shop.command("getMore", cursor_id, collection="items")
    # then
    assert killed["cursorsKilled"] == [cursor_id]
    assert caught.value.code == 43


def test_an_aggregation_cursor_is_batched_too(client):
    # given
    client.shop.items.insert_many([{"_id": i, "even": i % 2 == 0} for i in range(300)])
    # when
    found = list(client.shop.items.aggregate([{"$match": {"even": True}}], batchSize=10))
    # then
    assert [doc["_id"] for doc in found] == list(range(0, 300, 2))


def _open_cursor(store, cursor_id):
    return store.engine.cursors._open[cursor_id]


def test_a_find_makes_its_results_a_batch_at_a_time_as_the_cursor_is_read(client, store):
    # given
    client.shop.items.insert_many([{"_id": i} for i in range(250)])
    # when the first batch is read, then the second
    reply = client.shop.command("find", "items", batchSize=10)
    cursor_id = reply["cursor"]["id"]
    made_at_first = len(_open_cursor(store, cursor_id).docs.ready)
    more = client.shop.command("getMore", cursor_id, collection="items", batchSize=10)
    made_at_second = len(_open_cursor(store, cursor_id).docs.ready)
    # then only the next result past each batch was made (to know whether any is left)
    assert [doc["_id"] for doc in reply["cursor"]["firstBatch"]] == list(range(10))
    assert [doc["_id"] for doc in more["cursor"]["nextBatch"]] == list(range(10, 20))
    assert (made_at_first, made_at_second) == (1, 1)


def test_writes_between_batches_leave_a_cursor_its_results_of_when_it_opened(client, store):
    # given a cursor over five documents, one batch read
    client.shop.items.insert_many([{"_id": i, "n": i} for i in range(5)])
    cursor = client.shop.items.find({"n": {"$gte": 0}}, batch_size=2)
    first = [next(cursor), next(cursor)]
    # when the collection changes in every way before the next batch
    client.shop.items.insert_one({"_id": 9, "n": 9})
    client.shop.items.delete_one({"_id": 3})
    client.shop.items.update_one({"_id": 4}, {"$set": {"n": 40}})
    client.shop.items.find_one_and_update({"_id": 2}, {"$set": {"n": 20}})
    rest = list(cursor)
    # then the cursor hands out the documents as they were when it opened
    assert [doc for doc in [*first, *rest]] == [{"_id": i, "n": i} for i in range(5)]


def test_writes_to_another_collection_leave_a_cursor_making_its_results_lazily(client, store):
    # given a cursor with one batch read
    client.shop.items.insert_many([{"_id": i} for i in range(50)])
    reply = client.shop.command("find", "items", batchSize=10)
    cursor_id = reply["cursor"]["id"]
    # when another collection is written
    client.shop.outbox.insert_many([{"_id": i} for i in range(10)])
    # then the cursor made nothing more, and still reads on
    assert len(_open_cursor(store, cursor_id).docs.ready) == 1
    more = client.shop.command("getMore", cursor_id, collection="items")
    assert [doc["_id"] for doc in more["cursor"]["nextBatch"]] == list(range(10, 50))
    assert more["cursor"]["id"] == 0
