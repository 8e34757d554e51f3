"""The driver sees a one-member replica set primary, so it uses sessions and retryable writes."""

from __future__ import annotations

from bson.binary import Binary
from pymongo.common import MIN_SUPPORTED_WIRE_VERSION

from mongo.devstore.server import build_engine


def test_the_driver_finds_a_replica_set_primary_that_supports_sessions(client, store):
    # when
    hello = client.admin.command("hello")
    # then
    assert client.topology_description.topology_type_name == "ReplicaSetWithPrimary"
    assert (hello["isWritablePrimary"], hello["setName"]) == (True, "devstore")
    assert hello["hosts"] == [f"127.0.0.1:{store.port}"]
    assert hello["logicalSessionTimeoutMinutes"] == 30
    assert hello["maxWireVersion"] == MIN_SUPPORTED_WIRE_VERSION
    assert hello["maxBsonObjectSize"] == 16 * 1024 * 1024


def test_ping_build_info_and_end_sessions_answer(client):
    # when
    with client.start_session() as session:
        client.shop.items.insert_one({"_id": 1}, session=session)
    # then
    assert client.admin.command("ping") == {"ok": 1.0}
    assert client.admin.command("buildInfo")["version"] == "0.0.0-devstore"


def _insert(engine, txn: int, doc_id: int):
    return engine.run(
        {
            "insert": "items",
            "documents": [{"_id": doc_id}],
            "lsid": {"id": Binary(b"0123456789abcdef", 4)},
            "txnNumber": txn,
            "$db": "shop",
        }
    )


def test_a_retried_write_is_answered_again_not_applied_again():
    # given: the driver retries a write with the same session and transaction number when
    # the first answer was lost
    engine = build_engine(None)
    first = _insert(engine, 1, 1)
    # when
    again = _insert(engine, 1, 1)
    older = _insert(engine, 0, 2)
    # then
    assert first == again == {"n": 1, "ok": 1.0}
    assert older["code"] == 225
    assert engine.collection("shop.items").count_documents({}) == 1
