"""The declared indexes: none redundant, retired ones shed at startup, TTL ones created."""

from __future__ import annotations

import uuid

from pymongo import ASCENDING

from mongo.client import open_database
from mongo.indexes import INDEXES, RETIRED_INDEXES, ensure_indexes, is_ttl


def test_no_declared_index_is_a_prefix_of_another_or_led_by_id() -> None:
    for collection, models in INDEXES.items():
        keys = {m.document["name"]: [f for f, _ in m.document["key"].items()] for m in models}
        for name, fields in keys.items():
            # _id is indexed and unique already: an index led by it only costs writes.
            assert fields[0] != "_id", (collection, name)
            for other, other_fields in keys.items():
                # Whatever the prefix serves, the longer index serves too (either direction).
                assert other == name or other_fields[: len(fields)] != fields, (
                    collection,
                    name,
                    other,
                )


def test_retired_names_are_not_declared_again() -> None:
    for collection, retired in RETIRED_INDEXES.items():
        declared = {m.document["name"] for m in INDEXES[collection]}
        assert declared.isdisjoint(retired), collection


async def test_startup_drops_retired_indexes_and_creates_the_ttl_ones_every_time() -> None:
    # given a deployment that still has every retired index
    database = open_database("memory://", f"loyalty_test_{uuid.uuid4().hex[:12]}")
    db = database.db
    for collection, retired in RETIRED_INDEXES.items():
        for name in retired:
            await db[collection].create_index([("tenant", ASCENDING), (name, ASCENDING)], name=name)
    # when the application starts, twice
    await ensure_indexes(db)
    await ensure_indexes(db)
    # then the retired ones are gone and each declared one (TTL included) exists
    for collection, models in INDEXES.items():
        existing = await db[collection].index_information()
        assert set(RETIRED_INDEXES.get(collection, ())).isdisjoint(existing), collection
        for model in models:
            assert model.document["name"] in existing, (collection, model.document["name"])
            if is_ttl(model):
                created = existing[model.document["name"]]
                assert created["expireAfterSeconds"] == model.document["expireAfterSeconds"]
    await database.close()
