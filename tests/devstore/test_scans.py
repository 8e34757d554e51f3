"""Scans through the wire: projections pick fields in the document's order, a cursor's
results are those of the moment it opened, and inserts refuse what a server refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bson.timestamp import Timestamp
from pymongo.errors import BulkWriteError

EXPIRES = datetime(2026, 1, 8)
AT = datetime(2026, 1, 8, tzinfo=UTC)


def _member(number: int) -> dict[str, object]:
    return {
        "_id": number,
        "tenant": "acme",
        "locale": "ar",
        "joined_at": datetime(2025, 1, 1),
        "wallet": {"seq": 3, "lots": [{"id": "l1", "points": 40}], "holds": [], "held": 0},
    }


def test_a_nested_inclusion_projection_keeps_the_documents_field_order(client):
    # given
    client.shop.members.insert_one(_member(1))
    # when
    found = client.shop.members.find_one(
        {"tenant": "acme"}, {"wallet.holds": 1, "locale": 1, "wallet.lots": 1}
    )
    # then
    assert list(found.items()) == [
        ("_id", 1),
        ("locale", "ar"),
        ("wallet", {"lots": [{"id": "l1", "points": 40}], "holds": []}),
    ]


def test_projections_through_arrays_and_exclusions_still_work(client):
    # given
    client.shop.orders.insert_one({"_id": 1, "lines": [{"sku": "a", "n": 1}], "total": 5})
    # when
    through_array = client.shop.orders.find_one({}, {"lines.sku": 1, "_id": 0})
    excluded = client.shop.orders.find_one({}, {"lines": 0})
    # then
    assert through_array == {"lines": [{"sku": "a"}]}
    assert excluded == {"_id": 1, "total": 5}


def test_a_cursor_hands_out_the_documents_as_they_were_when_it_opened(client):
    # given a query over more documents than its first batch
    client.shop.members.insert_many([_member(n) for n in range(5)])
    cursor = client.shop.members.find({"tenant": "acme"}, batch_size=2)
    first = next(cursor)
    # when the documents change before the next batch is read
    client.shop.members.update_many({}, {"$set": {"locale": "en"}})
    rest = list(cursor)
    # then
    assert [doc["locale"] for doc in [first, *rest]] == ["ar"] * 5


def test_an_insert_refuses_a_top_level_dollar_field_and_keeps_the_rest(client):
    # when
    with pytest.raises(BulkWriteError) as caught:
        client.shop.items.insert_many([{"_id": 1, "$bad": 1}, {"_id": 2}], ordered=False)
    # then
    assert [e["index"] for e in caught.value.details["writeErrors"]] == [0]
    assert [doc["_id"] for doc in client.shop.items.find()] == [2]


def test_an_empty_top_level_timestamp_is_filled_in(client):
    # when
    client.shop.items.insert_one({"_id": 1, "at": Timestamp(0, 0)})
    # then
    stamped = client.shop.items.find_one({"_id": 1})["at"]
    assert stamped.time > 0


def test_a_projection_through_an_array_of_documents_is_picked_as_a_server_does(client, monkeypatch):
    # given lots with more fields than the projection keeps, one lot without either
    wallet = {
        "lots": [
            {"id": "l1", "remaining": 5, "expires_at": AT, "points": 9},
            {"id": "l2"},
            {"expires_at": AT, "remaining": 0},
        ],
        "holds": [],
    }
    client.shop.members.insert_one({"_id": 1, "locale": "ar", "wallet": wallet})

    def no_mongomock_projection(*args, **kwargs):
        raise AssertionError("projected by mongomock")

    monkeypatch.setattr(
        "mongomock.collection.Collection._copy_only_fields", no_mongomock_projection
    )
    # when
    found = client.shop.members.find_one(
        {}, {"locale": 1, "wallet.lots.expires_at": 1, "wallet.lots.remaining": 1}
    )
    # then each lot keeps the fields asked for, in its own order; a lot with none stays empty
    assert found == {
        "_id": 1,
        "locale": "ar",
        "wallet": {
            "lots": [
                {"remaining": 5, "expires_at": AT},
                {},
                {"expires_at": AT, "remaining": 0},
            ]
        },
    }
    assert list(found["wallet"]["lots"][0]) == ["remaining", "expires_at"]
