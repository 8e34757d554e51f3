"""One dev store shared by several "processes": here two database clients in this process
(each with its own change feed and rate limiter), and in test_many_processes.py and
test_crash.py real `loyalty serve` / `loyalty worker` processes (see processes.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from mongo.client import Database, open_database
from mongo.devstore.server import DevStore, build_engine
from mongo.indexes import ensure_indexes


@pytest.fixture
def store_uri() -> Iterator[str]:
    store = DevStore(build_engine(None), "127.0.0.1", 0)
    store.start()
    yield f"mongodb://127.0.0.1:{store.port}/"
    store.stop()


@pytest.fixture
async def two_databases(store_uri: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two clients on one database, as two processes would hold them."""
    name = f"loyalty_mp_{uuid.uuid4().hex[:8]}"
    first, second = open_database(store_uri, name), open_database(store_uri, name)
    await ensure_indexes(first.db, expire=False)  # frozen clocks: the TTL monitor stays out
    yield first, second
    await first.close()
    await second.close()
