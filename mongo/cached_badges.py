"""A short-lived in-process copy of each tenant's badge definitions.

Every order checks the member's open badges, so without a copy each order would read the
definitions. Writes through this instance drop the copy at once; other instances see a change
within TTL: a badge created there is first awarded up to TTL later (by the next event that
reaches it), and one retired there can still be awarded for up to TTL, as if it had been
retired a few seconds later."""

from __future__ import annotations

from datetime import timedelta

from loyalty.badges import Badge
from loyalty.clock import Clock
from mongo.badges import MongoBadges

TTL = timedelta(seconds=5)
MAX_TENANTS = 10_000


class CachedBadges:
    def __init__(self, inner: MongoBadges, clock: Clock) -> None:
        self.inner = inner
        self.clock = clock
        self.hits = 0  # read by the metrics at scrape time
        self.misses = 0
        self._copies: dict[str, tuple[list[Badge], float]] = {}

    async def save(self, tenant: str, badge: Badge) -> None:
        self._copies.pop(tenant, None)
        await self.inner.save(tenant, badge)
        self._copies.pop(tenant, None)  # a read racing the write may have cached the old one

    async def get(self, tenant: str, badge_id: str) -> Badge | None:
        return await self.inner.get(tenant, badge_id)

    async def list(self, tenant: str) -> list[Badge]:
        now = self.clock.now().timestamp()
        cached = self._copies.get(tenant)
        if cached is not None and cached[1] > now:
            self.hits += 1
            return list(cached[0])
        self.misses += 1
        badges = await self.inner.list(tenant)
        if len(self._copies) >= MAX_TENANTS:
            self._copies.clear()
        self._copies[tenant] = (badges, now + TTL.total_seconds())
        return list(badges)
