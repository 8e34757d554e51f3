"""With --data, every acknowledged write survives a restart, even after kill -9."""

from __future__ import annotations

import threading

import pytest
from pymongo.errors import DuplicateKeyError, PyMongoError

from tests.devstore.conftest import DevStoreProcess, connect


def test_a_restart_keeps_documents_indexes_and_deletions(tmp_path, processes):
    # given
    data = tmp_path / "dev.db"
    first = DevStoreProcess(data)
    processes.append(first)
    client = connect(first.uri)
    members = client.shop.members
    members.create_index("email", name="email_unique", unique=True)
    members.insert_many([{"_id": i, "email": f"m{i}"} for i in range(5)])
    members.update_one({"_id": 1}, {"$set": {"email": "one"}})
    members.delete_one({"_id": 4})
    client.close()
    first.kill()
    # when
    second = DevStoreProcess(data)
    processes.append(second)
    client = connect(second.uri)
    # then
    assert list(client.shop.members.find(sort=[("_id", 1)])) == [
        {"_id": 0, "email": "m0"},
        {"_id": 1, "email": "one"},
        {"_id": 2, "email": "m2"},
        {"_id": 3, "email": "m3"},
    ]
    with pytest.raises(DuplicateKeyError):
        client.shop.members.insert_one({"email": "m2"})
    client.close()


def test_kill_9_during_a_stream_of_writes_loses_no_acknowledged_one(tmp_path, processes):
    # given
    data = tmp_path / "dev.db"
    first = DevStoreProcess(data)
    processes.append(first)
    client = connect(first.uri, serverSelectionTimeoutMS=1000)
    acknowledged: list[int] = []
    enough = threading.Event()

    def write() -> None:
        for i in range(100_000):
            try:
                client.shop.ledger.insert_one({"_id": i, "points": i})
            except PyMongoError:
                return
            acknowledged.append(i)
            if i == 200:
                enough.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert enough.wait(60)
    # when: killed in the middle of the stream
    first.kill()
    writer.join(30)
    client.close()
    second = DevStoreProcess(data)
    processes.append(second)
    client = connect(second.uri)
    stored = {doc["_id"] for doc in client.shop.ledger.find({}, {"_id": 1})}
    client.close()
    # then: every acknowledged write is there; at most the one in flight was applied unanswered
    assert set(acknowledged) <= stored
    assert len(stored - set(acknowledged)) <= 1


def test_a_record_torn_by_a_crash_is_dropped_and_the_rest_kept(tmp_path, processes):
    # given
    data = tmp_path / "dev.db"
    first = DevStoreProcess(data)
    processes.append(first)
    client = connect(first.uri)
    client.shop.items.insert_many([{"_id": 1}, {"_id": 2}])
    client.close()
    first.kill()
    with data.open("ab") as file:
        file.write(b"\x40\x00\x00\x00\x02ops")  # the start of a record a crash cut short
    # when
    second = DevStoreProcess(data)
    processes.append(second)
    client = connect(second.uri)
    client.shop.items.insert_one({"_id": 3})
    found = sorted(doc["_id"] for doc in client.shop.items.find())
    client.close()
    # then
    assert found == [1, 2, 3]
