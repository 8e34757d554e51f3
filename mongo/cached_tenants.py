"""A short-lived in-process copy of tenants: every request reads its tenant, rarely changed.

Writes through this instance drop the copy at once and announce the change
(mongo/tenant_changes.py): on a shared store the other instances drop theirs within about
200 ms. The TTL stays as the backstop when an announcement is lost (a revoked member-token
key stays usable there for at most that long, which is why the TTL is seconds, not minutes).
"""

from __future__ import annotations

from datetime import timedelta

from loyalty.clock import Clock
from loyalty.program import Program
from loyalty.tenants import MemberKey, Tenant
from mongo.tenant_changes import TenantChanges
from mongo.tenants import MongoTenants

TTL = timedelta(seconds=5)
MAX_TENANTS = 10_000


class CachedTenants:
    def __init__(
        self, inner: MongoTenants, clock: Clock, changes: TenantChanges | None = None
    ) -> None:
        self.inner = inner
        self.clock = clock
        self.changes = changes or TenantChanges()
        self.changes.listen(self.forget)
        self.hits = 0  # read by the metrics at scrape time
        self.misses = 0
        self._copies: dict[str, tuple[Tenant, float]] = {}

    async def insert(self, tenant: Tenant) -> bool:
        self._copies.pop(tenant.slug, None)
        return await self.inner.insert(tenant)

    async def get(self, slug: str) -> Tenant | None:
        now = self.clock.now().timestamp()
        cached = self._copies.get(slug)
        if cached is not None and cached[1] > now:
            self.hits += 1
            return cached[0]
        self.misses += 1
        tenant = await self.inner.get(slug)
        if tenant is not None:  # unknown slugs are not remembered: they are unbounded
            if len(self._copies) >= MAX_TENANTS:
                self._copies.clear()
            self._copies[slug] = (tenant, now + TTL.total_seconds())
        return tenant

    async def save_program(self, slug: str, program: Program) -> None:
        self._copies.pop(slug, None)
        await self.inner.save_program(slug, program)
        self._copies.pop(slug, None)  # a read racing the write may have cached the old one
        await self.changes.announce(slug)

    async def save_member_keys(self, slug: str, keys: tuple[MemberKey, ...]) -> None:
        self._copies.pop(slug, None)
        await self.inner.save_member_keys(slug, keys)
        self._copies.pop(slug, None)
        await self.changes.announce(slug)

    def forget(self, slug: str) -> None:
        """Another process changed this tenant."""
        self._copies.pop(slug, None)
