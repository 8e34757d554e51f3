"""A short-lived in-process copy of each tenant's badge definitions.

Every order checks the member's open badges, so without a copy each order would read the
definitions. Writes through this instance drop the copy at once; other instances see a change
within TTL: a badge created there is first awarded up to TTL later (by the next event that
reaches it), and one retired there can still be awarded for up to TTL, as if it had been
retired a few seconds later."""

from __future__ import annotations

from loyalty.badges import Badge
from loyalty.clock import Clock
from mongo.badges import MongoBadges
from mongo.ttl_copies import TtlCopies


class CachedBadges:
    def __init__(self, inner: MongoBadges, clock: Clock) -> None:
        self.inner = inner
        self.clock = clock
        self.copies: TtlCopies[str, list[Badge]] = TtlCopies(clock)

    @property
    def hits(self) -> int:
        return self.copies.hits

    @property
    def misses(self) -> int:
        return self.copies.misses

    async def save(self, tenant: str, badge: Badge) -> None:
        await self.copies.write_through(tenant, self.inner.save(tenant, badge))

    async def get(self, tenant: str, badge_id: str) -> Badge | None:
        return await self.inner.get(tenant, badge_id)

    async def list(self, tenant: str) -> list[Badge]:
        return list(await self.copies.get(tenant, lambda: self.inner.list(tenant)) or ())
