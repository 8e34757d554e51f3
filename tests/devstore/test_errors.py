"""Server errors reach the driver as a server's would: the same codes, the same exceptions."""

from __future__ import annotations

import pytest
from pymongo import InsertOne, UpdateOne
from pymongo.errors import (
    BulkWriteError,
    DocumentTooLarge,
    DuplicateKeyError,
    OperationFailure,
    WriteError,
)

MIB = 1024 * 1024


def test_a_second_document_with_a_unique_key_is_a_duplicate_key_error(client):
    # given
    members = client.shop.members
    members.create_index([("tenant", 1), ("email", 1)], name="tenant_email", unique=True)
    members.insert_one({"_id": 1, "tenant": "t", "email": "a@x"})
    # when
    with pytest.raises(DuplicateKeyError) as caught:
        members.insert_one({"_id": 2, "tenant": "t", "email": "a@x"})
    # then
    assert caught.value.code == 11000
    assert caught.value.details["keyPattern"] == {"tenant": 1, "email": 1}
    assert caught.value.details["keyValue"] == {"tenant": "t", "email": "a@x"}
    assert "index: tenant_email" in caught.value.details["errmsg"]
    assert members.count_documents({}) == 1


def test_an_update_or_upsert_onto_a_taken_key_fails_and_changes_nothing(client):
    # given
    members = client.shop.members
    members.create_index("email", name="email_unique", unique=True)
    members.insert_many([{"_id": 1, "email": "a"}, {"_id": 2, "email": "b"}])
    # when
    with pytest.raises(DuplicateKeyError):
        members.update_one({"_id": 2}, {"$set": {"email": "a"}})
    with pytest.raises(DuplicateKeyError):
        members.update_one({"_id": 3}, {"$set": {"email": "b"}}, upsert=True)
    with pytest.raises(DuplicateKeyError):
        members.find_one_and_update({"_id": 1}, {"$set": {"email": "b"}})
    with pytest.raises(DuplicateKeyError):
        members.insert_one({"_id": 1, "email": "c"})  # the _id index
    # then
    assert list(members.find(sort=[("_id", 1)])) == [
        {"_id": 1, "email": "a"},
        {"_id": 2, "email": "b"},
    ]


def test_a_multi_update_that_breaks_a_unique_index_half_way_leaves_every_document_as_it_was(
    client,
):
    # given two documents, the second one's fields in another order
    items = client.shop.items
    items.create_index("code", name="code_unique", unique=True)
    items.insert_many([{"_id": 1, "a": 1, "code": "x1"}, {"_id": 2, "code": "x2", "a": 2}])
    # when one update gives both the same code (the second collides with the first), a field
    # more and an increment
    with pytest.raises(DuplicateKeyError):
        items.update_many({}, {"$set": {"code": "same", "extra": True}, "$inc": {"a": 10}})
    # then both are as they were, fields in their order, and the old codes still hold
    docs = [list(doc.items()) for doc in items.find(sort=[("_id", 1)])]
    assert docs == [
        [("_id", 1), ("a", 1), ("code", "x1")],
        [("_id", 2), ("code", "x2"), ("a", 2)],
    ]
    with pytest.raises(DuplicateKeyError):
        items.insert_one({"_id": 3, "code": "x2"})
    items.insert_one({"_id": 4, "code": "same"})


def test_an_unordered_bulk_reports_each_duplicate_and_writes_the_rest(client):
    # given
    ledger = client.shop.ledger
    ledger.insert_one({"_id": "e2"})
    # when
    with pytest.raises(BulkWriteError) as caught:
        ledger.insert_many([{"_id": "e1"}, {"_id": "e2"}, {"_id": "e3"}], ordered=False)
    # then
    details = caught.value.details
    assert details["nInserted"] == 2
    assert [(e["index"], e["code"]) for e in details["writeErrors"]] == [(1, 11000)]
    assert sorted(d["_id"] for d in ledger.find()) == ["e1", "e2", "e3"]


def test_an_ordered_bulk_stops_at_the_first_error(client):
    # given
    ledger = client.shop.ledger
    ledger.insert_one({"_id": "e2"})
    # when
    with pytest.raises(BulkWriteError) as caught:
        ledger.bulk_write(
            [
                InsertOne({"_id": "e1"}),
                InsertOne({"_id": "e2"}),
                UpdateOne({"_id": "e1"}, {"$set": {"x": 1}}),
            ]
        )
    # then
    assert caught.value.details["nInserted"] == 1
    assert caught.value.details["nModified"] == 0
    assert ledger.find_one({"_id": "e1"}) == {"_id": "e1"}


def test_partial_and_sparse_unique_indexes_only_hold_the_documents_they_cover(client):
    # given
    codes = client.shop.codes
    codes.create_index(
        "code", name="live_code", unique=True, partialFilterExpression={"live": True}
    )
    codes.create_index("alias", name="alias_sparse", unique=True, sparse=True)
    # when
    codes.insert_many(
        [{"code": "A", "live": False}, {"code": "A", "live": False}, {"code": "A", "live": True}]
    )
    # then
    with pytest.raises(DuplicateKeyError):
        codes.insert_one({"code": "A", "live": True})
    assert codes.count_documents({"alias": {"$exists": False}}) == 3


def test_a_unique_index_over_documents_that_break_it_is_refused(client):
    # given
    client.shop.members.insert_many([{"email": "a"}, {"email": "a"}])
    # when
    with pytest.raises(OperationFailure) as caught:
        client.shop.members.create_index("email", name="email_unique", unique=True)
    # then
    assert caught.value.code == 11000
    assert sorted(client.shop.members.index_information()) == ["_id_"]


def test_an_index_recreated_with_other_options_or_another_name_conflicts(client):
    # given
    client.shop.members.create_index("email", name="email_1")
    # when
    with pytest.raises(OperationFailure) as other_options:
        client.shop.members.create_index("email", name="email_1", unique=True)
    with pytest.raises(OperationFailure) as other_key:
        client.shop.members.create_index("phone", name="email_1")
    with pytest.raises(OperationFailure) as other_name:
        client.shop.members.create_index("email", name="by_email")
    # then
    assert (other_options.value.code, other_key.value.code, other_name.value.code) == (85, 86, 85)


def test_an_unknown_command_is_command_not_found(client):
    # when
    with pytest.raises(OperationFailure) as caught:
        client.shop.command("distinct", "members", key="email")
    # then
    assert caught.value.code == 59
    assert caught.value.details["codeName"] == "CommandNotFound"


def test_an_option_the_dev_store_does_not_implement_is_refused_not_ignored(client):
    # when
    with pytest.raises(OperationFailure) as collation:
        list(client.shop.members.find({}, collation={"locale": "ar"}))
    with pytest.raises(OperationFailure) as change_stream:
        client.shop.members.watch()
    with pytest.raises(OperationFailure) as hint:
        list(client.shop.members.find({}).hint("no_such_index"))
    # then
    assert (collation.value.code, change_stream.value.code, hint.value.code) == (238, 238, 2)


def test_a_document_over_16_mib_is_refused_by_the_driver_and_by_the_store(client):
    # given
    blobs = client.shop.blobs
    blobs.insert_one({"_id": 1, "a": "x" * (9 * MIB)})
    # when
    with pytest.raises(DocumentTooLarge):
        blobs.insert_one({"_id": 2, "a": "x" * (17 * MIB)})
    with pytest.raises(WriteError) as grown:
        blobs.update_one({"_id": 1}, {"$set": {"b": "y" * (9 * MIB)}})
    # then: the driver knows the limit from hello; an update growing past it is the store's
    assert grown.value.code == 17419
    assert blobs.find_one({"_id": 1}, {"b": 1}) == {"_id": 1}
