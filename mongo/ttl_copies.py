"""Short-lived in-process copies of values read on every request or every order (tenants, API
keys, reward catalogues, badges, earn campaigns), each kept for TTL seconds.

A change made through this process drops its copy at once (`write_through`); other processes
see it within TTL, or sooner where the change is announced (mongo/tenant_changes.py). Nothing
unknown is remembered (`load` answering None): unknown keys are unbounded, and a value
created a moment later must be found at once. When `limit` copies are held they are all
dropped, which is simpler than an LRU and only happens far beyond a process's working set."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from datetime import timedelta
from typing import Generic, TypeVar

from loyalty.clock import Clock

TTL = timedelta(seconds=5)
LIMIT = 10_000

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCopies(Generic[K, V]):
    def __init__(self, clock: Clock, ttl: timedelta = TTL, limit: int = LIMIT) -> None:
        self.clock = clock
        self.ttl = ttl.total_seconds()
        self.limit = limit
        self.hits = 0  # read by the metrics at scrape time
        self.misses = 0
        self._copies: dict[K, tuple[V, float]] = {}

    async def get(self, key: K, load: Callable[[], Awaitable[V | None]]) -> V | None:
        now = self.clock.now().timestamp()
        cached = self._copies.get(key)
        if cached is not None and cached[1] > now:
            self.hits += 1
            return cached[0]
        self.misses += 1
        value = await load()
        if value is None:
            self._copies.pop(key, None)
            return None
        if len(self._copies) >= self.limit:
            self._copies.clear()
        self._copies[key] = (value, now + self.ttl)
        return value

    async def write_through(self, key: K, write: Awaitable[None]) -> None:
        self.drop(key)
        await write
        self.drop(key)  # a read racing the write may have copied the old value

    def drop(self, key: K) -> None:
        self._copies.pop(key, None)

    def drop_where(self, stale: Callable[[K, V], bool]) -> None:
        for key in [k for k, (value, _) in self._copies.items() if stale(k, value)]:
            del self._copies[key]
