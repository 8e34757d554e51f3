"""The real driver is opened with money-grade durability, whatever the URI says."""

from __future__ import annotations

from pymongo import ReadPreference
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from mongo.client import open_database


async def test_durability_is_set_in_code_and_wins_over_the_uri() -> None:
    # given a URI that asks for weaker settings (no server is contacted: the client is lazy)
    uri = (
        "mongodb://127.0.0.1:1/?w=1&readPreference=secondaryPreferred"
        "&readConcernLevel=local&retryWrites=false&serverSelectionTimeoutMS=100"
    )
    # when
    database = open_database(uri, "loyalty_options_test")
    try:
        db = database.db
        # then
        assert db.write_concern == WriteConcern(w="majority", j=True)
        assert db.read_preference == ReadPreference.PRIMARY
        assert db.read_concern == ReadConcern("majority")
        assert database.client.options.retry_writes is True
        assert database.client.options.retry_reads is True
    finally:
        await database.close()
