"""Shared fixtures. Set LOYALTY_TEST_MONGODB_URI to run everything against a real MongoDB
(each test gets its own database, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from integrations.secret_box import SecretBox
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from mongo.client import Database, open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps

TEST_URI = os.environ.get("LOYALTY_TEST_MONGODB_URI", "memory://")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    name = f"loyalty_test_{uuid.uuid4().hex[:12]}"
    database = open_database(TEST_URI, name)
    await ensure_indexes(database.db, expire=False)  # the frozen clock is not the server's
    yield database
    if not database.is_memory:
        await database.client.drop_database(name)
    await database.close()


@pytest.fixture
def broker() -> WalletBroker:
    return WalletBroker()


@pytest.fixture
def deps(database: Database, clock: FrozenClock, broker: WalletBroker) -> Deps:
    return build_deps(
        database, clock, broker, images=PillowImages(), cipher=SecretBox.from_setting(None)
    )
