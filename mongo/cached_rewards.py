"""A short-lived in-process copy of each tenant's active reward catalogue.

Every move that raises a balance checks it ("reward now affordable"), so without a copy an
earning burst would read the catalogue once per order. Writes through this instance drop the
copy at once; other instances see a change within TTL, and the sender re-reads the reward
before a push leaves, so a stale copy can at most record an event that is then skipped."""

from __future__ import annotations

from datetime import timedelta

from loyalty.clock import Clock
from loyalty.rewards import Reward
from mongo.rewards import MongoRewards

TTL = timedelta(seconds=5)
MAX_TENANTS = 10_000


class CachedRewards:
    def __init__(self, inner: MongoRewards, clock: Clock) -> None:
        self.inner = inner
        self.clock = clock
        self.hits = 0  # read by the metrics at scrape time
        self.misses = 0
        self._active: dict[str, tuple[list[Reward], float]] = {}

    async def save(self, tenant: str, reward: Reward) -> None:
        self._active.pop(tenant, None)
        await self.inner.save(tenant, reward)
        self._active.pop(tenant, None)  # a read racing the write may have cached the old one

    async def get(self, tenant: str, reward_id: str) -> Reward | None:
        return await self.inner.get(tenant, reward_id)

    async def list(self, tenant: str, *, active_only: bool) -> list[Reward]:
        if not active_only:
            return await self.inner.list(tenant, active_only=False)
        now = self.clock.now().timestamp()
        cached = self._active.get(tenant)
        if cached is not None and cached[1] > now:
            self.hits += 1
            return list(cached[0])
        self.misses += 1
        rewards = await self.inner.list(tenant, active_only=True)
        if len(self._active) >= MAX_TENANTS:
            self._active.clear()
        self._active[tenant] = (rewards, now + TTL.total_seconds())
        return list(rewards)
