"""API keys are cached like tenants: 5 s, and a key created after a miss works at once."""

from __future__ import annotations

from datetime import timedelta

from loyalty.clock import FrozenClock
from loyalty.tenants import ApiKey, Scope
from mongo.cached_api_keys import CachedApiKeys
from mongo.client import Database
from mongo.tenants import MongoApiKeys


def merchant_key(clock: FrozenClock) -> ApiKey:
    return ApiKey(
        key_hash="h-1",
        tenant="acme",
        scopes=frozenset({Scope.ADMIN}),
        prefix="lk_ab",
        created_at=clock.now(),
    )


async def test_a_revoked_key_stops_working_within_five_seconds(
    database: Database, clock: FrozenClock
) -> None:
    # given a key looked up once (cached)
    keys = CachedApiKeys(MongoApiKeys(database.db), clock)
    await keys.insert(merchant_key(clock))
    assert await keys.find("h-1") == merchant_key(clock)
    # when it is revoked in the database (as another instance would)
    await database.db["api_keys"].update_one({"_id": "h-1"}, {"$set": {"revoked": True}})
    clock.advance(timedelta(seconds=4))
    during = await keys.find("h-1")
    clock.advance(timedelta(seconds=2))
    after = await keys.find("h-1")
    # then the copy served it for under 5 s, then the database said no
    assert (during is not None, after) == (True, None)
    assert (keys.hits, keys.misses) == (1, 2)


async def test_an_unknown_key_is_not_remembered(database: Database, clock: FrozenClock) -> None:
    # given a look-up that missed
    keys = CachedApiKeys(MongoApiKeys(database.db), clock)
    assert await keys.find("h-1") is None
    # when the key is created right after
    await keys.insert(merchant_key(clock))
    # then it works at once
    assert await keys.find("h-1") == merchant_key(clock)
