"""A short-lived in-process copy of each tenant's active reward catalogue.

Every move that raises a balance checks it ("reward now affordable"), so without a copy an
earning burst would read the catalogue once per order. Writes through this instance drop the
copy at once; other instances see a change within TTL, and the sender re-reads the reward
before a push leaves, so a stale copy can at most record an event that is then skipped."""

from __future__ import annotations

from loyalty.clock import Clock
from loyalty.rewards import Reward
from mongo.rewards import MongoRewards
from mongo.ttl_copies import TtlCopies


class CachedRewards:
    def __init__(self, inner: MongoRewards, clock: Clock) -> None:
        self.inner = inner
        self.clock = clock
        self.active: TtlCopies[str, list[Reward]] = TtlCopies(clock)

    @property
    def hits(self) -> int:
        return self.active.hits

    @property
    def misses(self) -> int:
        return self.active.misses

    async def save(self, tenant: str, reward: Reward) -> None:
        await self.active.write_through(tenant, self.inner.save(tenant, reward))

    async def get(self, tenant: str, reward_id: str) -> Reward | None:
        return await self.inner.get(tenant, reward_id)

    async def list(self, tenant: str, *, active_only: bool) -> list[Reward]:
        if not active_only:
            return await self.inner.list(tenant, active_only=False)
        active = await self.active.get(tenant, lambda: self.inner.list(tenant, active_only=True))
        return list(active or ())
