"""A short-lived in-process copy of tenants: every request reads its tenant, rarely changed.

Writes through this instance drop the copy at once and announce the change
(mongo/tenant_changes.py): on a shared store the other instances drop theirs within about
200 ms. The TTL stays as the backstop when an announcement is lost (a revoked member-token
key stays usable there for at most that long, which is why the TTL is seconds, not minutes).
"""

from __future__ import annotations

from loyalty.clock import Clock
from loyalty.program import Program
from loyalty.tenants import MemberKey, Tenant
from mongo.tenant_changes import TenantChanges
from mongo.tenants import MongoTenants
from mongo.ttl_copies import TtlCopies


class CachedTenants:
    def __init__(
        self, inner: MongoTenants, clock: Clock, changes: TenantChanges | None = None
    ) -> None:
        self.inner = inner
        self.clock = clock
        self.changes = changes or TenantChanges()
        self.changes.listen(self.forget)
        self.copies: TtlCopies[str, Tenant] = TtlCopies(clock)

    @property
    def hits(self) -> int:
        return self.copies.hits

    @property
    def misses(self) -> int:
        return self.copies.misses

    async def insert(self, tenant: Tenant) -> bool:
        self.copies.drop(tenant.slug)
        return await self.inner.insert(tenant)

    async def get(self, slug: str) -> Tenant | None:
        return await self.copies.get(slug, lambda: self.inner.get(slug))

    async def save_program(self, slug: str, program: Program) -> None:
        await self.copies.write_through(slug, self.inner.save_program(slug, program))
        await self.changes.announce(slug)

    async def save_member_keys(self, slug: str, keys: tuple[MemberKey, ...]) -> None:
        await self.copies.write_through(slug, self.inner.save_member_keys(slug, keys))
        await self.changes.announce(slug)

    def forget(self, slug: str) -> None:
        """Another process changed this tenant."""
        self.copies.drop(slug)
