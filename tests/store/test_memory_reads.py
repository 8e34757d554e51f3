"""memory:// reads share immutable values with the store but never its dicts and lists, and
give dates in datetime.UTC as the real driver is configured to (mongo/memory_reads.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bson import ObjectId
from mongomock import filtering

from mongo.client import open_database


async def test_a_read_is_a_private_copy_with_utc_dates() -> None:
    # given a stored document with nested dates, a list and an object id
    database = open_database("memory://", "memory_reads_test")
    collection = database.db["things"]
    ref = ObjectId()
    at = datetime(2026, 3, 1, 12, 30, 15, 123000, tzinfo=UTC)
    await collection.insert_one(
        {"_id": 1, "ref": ref, "lots": [{"at": at, "points": 5}], "tags": ["a"]}
    )
    # when it is read (with a projection, as member reads are) and the copy is changed
    first = await collection.find_one({"_id": 1}, {"tags": 0})
    assert first is not None
    first["lots"][0]["points"] = 99
    first["lots"].append({"points": 1})
    second = await collection.find_one({"_id": 1})
    # then the store kept its values, and the dates are datetime.UTC's
    assert second == {"_id": 1, "ref": ref, "lots": [{"at": at, "points": 5}], "tags": ["a"]}
    assert second["lots"][0]["at"].tzinfo is UTC
    assert first["lots"][0]["at"].tzinfo is UTC
    assert second["ref"] is first["ref"]  # immutable: shared, not rebuilt per read


async def test_a_read_by_id_tests_that_document_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # given fifty stored documents of two tenants, and a count of documents tested
    database = open_database("memory://", "memory_reads_by_id")
    collection = database.db["things"]
    ids = [ObjectId() for _ in range(50)]
    await collection.insert_many(
        [{"_id": i, "tenant": "acme" if n % 2 else "other", "n": n} for n, i in enumerate(ids)]
    )
    tested: list[object] = []
    apply = filtering._filterer_inst.apply

    def counting(search_filter: object, document: object) -> bool:
        tested.append(document)
        return bool(apply(search_filter, document))

    monkeypatch.setattr(filtering._filterer_inst, "apply", counting)
    # when one is read by id and tenant, in and out of its tenant, and an unknown id
    found = await collection.find_one({"_id": ids[7], "tenant": "acme"}, {"n": 1})
    elsewhere = await collection.find_one({"_id": ids[7], "tenant": "other"})
    unknown = await collection.find_one({"_id": ObjectId(), "tenant": "acme"})
    # then each read tested one document (the unknown id: only the filter itself)
    assert (found, elsewhere, unknown) == ({"_id": ids[7], "n": 7}, None, None)
    assert len(tested) == 3
