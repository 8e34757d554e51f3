"""Activity caps: an atomic 'increment if below the limit' counter."""

from __future__ import annotations

import asyncio

from mongo.client import Database
from mongo.operations import MongoActivities


async def test_concurrent_first_uses_share_the_limit_exactly(database: Database) -> None:
    # given a cap of 2 that nobody used yet
    caps = MongoActivities(database.db)
    # when five uses race
    results = await asyncio.gather(
        *(caps.take_cap("acme", "m1:birthday:2026", 2) for _ in range(5))
    )
    # then exactly two get through, and giving one back frees one place
    assert sorted(results) == [False, False, False, True, True]
    await caps.give_back_cap("acme", "m1:birthday:2026")
    assert await caps.take_cap("acme", "m1:birthday:2026", 2) is True
    assert await caps.take_cap("acme", "m1:birthday:2026", 2) is False


async def test_caps_are_kept_per_tenant(database: Database) -> None:
    # given acme used its one place
    caps = MongoActivities(database.db)
    assert await caps.take_cap("acme", "m1:signup:all", 1) is True
    # when / then globex's counter of the same name is its own
    assert await caps.take_cap("globex", "m1:signup:all", 1) is True
    assert await caps.take_cap("acme", "m1:signup:all", 1) is False
