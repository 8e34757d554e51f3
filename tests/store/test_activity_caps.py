"""Activity caps: an atomic 'take a place if below the limit' counter, one place per activity."""

from __future__ import annotations

import asyncio

from mongo.client import Database
from mongo.operations import MongoActivities


async def test_concurrent_first_uses_share_the_limit_exactly(database: Database) -> None:
    # given a cap of 2 that nobody used yet
    caps = MongoActivities(database.db)
    # when five different activities race
    results = await asyncio.gather(
        *(caps.take_cap("acme", "m1:birthday:2026", 2, f"BIRTHDAY:{n}") for n in range(5))
    )
    # then exactly two get through
    assert sorted(results) == [False, False, False, True, True]


async def test_an_activity_retried_keeps_its_one_place(database: Database) -> None:
    # given an activity that took the first of two places (and whose answer was lost)
    caps = MongoActivities(database.db)
    assert await caps.take_cap("acme", "m1:review:2026-01-15", 2, "REVIEW:sku-1") is True
    # when it is retried, also concurrently with itself
    again = await asyncio.gather(
        *(caps.take_cap("acme", "m1:review:2026-01-15", 2, "REVIEW:sku-1") for _ in range(3))
    )
    # then it still holds its place, and the second place is left for another activity
    assert again == [True, True, True]
    assert await caps.take_cap("acme", "m1:review:2026-01-15", 2, "REVIEW:sku-2") is True
    assert await caps.take_cap("acme", "m1:review:2026-01-15", 2, "REVIEW:sku-3") is False
    counter = await database.db["activity_caps"].find_one({"_id": "acme:m1:review:2026-01-15"})
    assert (counter["count"], counter["holders"]) == (2, ["REVIEW:sku-1", "REVIEW:sku-2"])


async def test_caps_are_kept_per_tenant(database: Database) -> None:
    # given acme used its one place
    caps = MongoActivities(database.db)
    assert await caps.take_cap("acme", "m1:signup:all", 1, "SIGNUP:signup") is True
    # when / then globex's counter of the same name is its own
    assert await caps.take_cap("globex", "m1:signup:all", 1, "SIGNUP:signup") is True
    assert await caps.take_cap("acme", "m1:signup:all", 1, "SIGNUP:other") is False
