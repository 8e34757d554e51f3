"""Rate limits counted in the store: two processes share one budget per caller."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.rate_limit import RateLimited
from api.shared_rate_limit import SharedRateLimiter, window_for
from loyalty.clock import FrozenClock
from mongo.client import Database
from mongo.rate_windows import MongoRateWindows

# scale 0.01: a merchant gets 3 requests per 3-second window (burst 300 at 100/s, scaled)
SCALE = 0.01


@pytest.fixture
def clock() -> FrozenClock:
    clock = FrozenClock()
    clock.advance(timedelta(seconds=0.5))  # inside a window, not on its edge
    return clock


def limiters(
    two_databases: tuple[Database, Database], clock: FrozenClock, refused: list[str]
) -> tuple[SharedRateLimiter, SharedRateLimiter]:
    first, second = (
        SharedRateLimiter(
            MongoRateWindows(database.db, clock), clock, scale=SCALE, on_refused=refused.append
        )
        for database in two_databases
    )
    return first, second


def test_a_bucket_becomes_a_window_with_the_same_burst_and_rate() -> None:
    assert (window_for("merchant", 1).amount, window_for("merchant", 1).get_expiry()) == (300, 3)
    assert (window_for("member", 1).amount, window_for("member", 1).get_expiry()) == (60, 6)
    assert window_for("platform", 0.01).amount == 1  # never below one request


async def test_two_processes_spend_one_budget(
    two_databases: tuple[Database, Database], clock: FrozenClock
) -> None:
    # given two API processes on one store
    refused: list[str] = []
    first, second = limiters(two_databases, clock, refused)
    # when one merchant key makes two requests on the first and one on the second
    await first.check("merchant", "key-hash")
    await first.check("merchant", "key-hash")
    await second.check("merchant", "key-hash")
    # then its fourth request is refused on either, until the window ends 2.5 s later
    with pytest.raises(RateLimited) as on_first:
        await first.check("merchant", "key-hash")
    with pytest.raises(RateLimited) as on_second:
        await second.check("merchant", "key-hash")
    assert (on_first.value.retry_after, on_second.value.retry_after) == (3, 3)
    assert refused == ["merchant", "merchant"]
    # and another caller, or another kind with the same key, has its own budget
    await second.check("merchant", "other-key")
    await second.check("member", "key-hash")
    # and the next window starts afresh
    clock.advance(timedelta(seconds=2.5))
    await second.check("merchant", "key-hash")


async def test_one_counter_per_caller_and_none_when_off(
    two_databases: tuple[Database, Database], clock: FrozenClock
) -> None:
    # given a caller that spent requests over three windows
    first, _ = limiters(two_databases, clock, [])
    for _ in range(3):
        await first.check("member", "acme:m1")
        clock.advance(timedelta(seconds=6))
    # then one counter document holds its current window
    counters = await two_databases[0].db["rate_windows"].find({}).to_list(None)
    assert [(c["count"], c["window"] % 6) for c in counters] == [(1, 0)]
    # and scale 0 counts nothing
    off = SharedRateLimiter(MongoRateWindows(two_databases[1].db, clock), clock, scale=0)
    for _ in range(10):
        await off.check("platform", "platform")
    assert await two_databases[0].db["rate_windows"].count_documents({}) == 1
