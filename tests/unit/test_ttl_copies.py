"""The short-lived copies behind the tenant, API key, reward, badge and campaign caches."""

from __future__ import annotations

from datetime import timedelta

from loyalty.clock import FrozenClock
from mongo.ttl_copies import TtlCopies


class Loads:
    def __init__(self, value: str | None) -> None:
        self.value = value
        self.count = 0

    async def __call__(self) -> str | None:
        self.count += 1
        return self.value


async def test_a_copy_serves_reads_until_its_ttl_passes() -> None:
    # given a copy loaded once
    clock = FrozenClock()
    copies: TtlCopies[str, str] = TtlCopies(clock, ttl=timedelta(seconds=5))
    load = Loads("acme")
    assert await copies.get("k", load) == "acme"
    # when read again within the TTL, and again after it
    clock.advance(timedelta(seconds=4.9))
    within = await copies.get("k", load)
    clock.advance(timedelta(seconds=0.2))
    after = await copies.get("k", load)
    # then the first re-read came from the copy, the second loaded again
    assert (within, after, load.count) == ("acme", "acme", 2)
    assert (copies.hits, copies.misses) == (1, 2)


async def test_unknown_keys_are_never_remembered() -> None:
    # given a key nobody has yet
    copies: TtlCopies[str, str] = TtlCopies(FrozenClock())
    load = Loads(None)
    # when it is read twice
    first, second = await copies.get("new", load), await copies.get("new", load)
    # then both reads asked the store, so a value created in between is found at once
    assert (first, second, load.count) == (None, None, 2)


async def test_a_write_through_this_process_drops_the_copy_before_and_after() -> None:
    # given a copy
    copies: TtlCopies[str, str] = TtlCopies(FrozenClock())
    await copies.get("k", Loads("old"))

    async def write() -> None:
        # a read racing the write copies the old value
        await copies.get("k", Loads("old"))

    # when the value is written through the copies
    await copies.write_through("k", write())
    # then the next read loads the new value
    assert await copies.get("k", Loads("new")) == "new"


async def test_drop_where_forgets_only_what_matches_and_the_limit_empties_all() -> None:
    # given three copies in a store of at most three
    copies: TtlCopies[str, str] = TtlCopies(FrozenClock(), limit=3)
    for key, value in (("a1", "acme"), ("a2", "acme"), ("g1", "globex")):
        await copies.get(key, Loads(value))
    # when acme's are dropped
    copies.drop_where(lambda _, tenant: tenant == "acme")
    # then globex's copy still serves, acme's reload
    assert await copies.get("g1", Loads("changed")) == "globex"
    assert await copies.get("a1", Loads("reloaded")) == "reloaded"
    # and a fourth copy beyond the limit empties the store first
    await copies.get("a2", Loads("x"))
    await copies.get("z", Loads("z"))
    assert await copies.get("g1", Loads("fresh")) == "fresh"
