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
