"""A short-lived in-process copy of API keys: every merchant request looks its key up.

Like the tenant copy (mongo/cached_tenants.py): TTL seconds, so a key revoked in the database
stops working on every instance within that time, and within about 200 ms where the change
was announced (mongo/tenant_changes.py: the copies of that tenant's keys are dropped); unknown
keys are never remembered (they are unbounded, and a key created a moment later must work at
once).
"""

from __future__ import annotations

from loyalty.clock import Clock
from loyalty.tenants import ApiKey
from mongo.tenant_changes import TenantChanges
from mongo.tenants import MongoApiKeys
from mongo.ttl_copies import TtlCopies


class CachedApiKeys:
    def __init__(
        self, inner: MongoApiKeys, clock: Clock, changes: TenantChanges | None = None
    ) -> None:
        self.inner = inner
        self.clock = clock
        self.changes = changes or TenantChanges()
        self.changes.listen(self.forget_tenant)
        self.copies: TtlCopies[str, ApiKey] = TtlCopies(clock)

    @property
    def hits(self) -> int:
        return self.copies.hits

    @property
    def misses(self) -> int:
        return self.copies.misses

    async def insert(self, key: ApiKey) -> None:
        self.copies.drop(key.key_hash)
        await self.inner.insert(key)

    async def find(self, key_hash: str) -> ApiKey | None:
        return await self.copies.get(key_hash, lambda: self.inner.find(key_hash))

    async def list(self, tenant: str) -> list[ApiKey]:
        return await self.inner.list(tenant)

    async def revoke(self, tenant: str, key_id: str) -> bool:
        # This instance stops at once; the others when they hear of it (mongo/tenant_changes.py),
        # or within TTL if that announcement is lost.
        digits = key_id.removeprefix("key_")
        self.copies.drop_where(lambda key_hash, _: key_hash.startswith(digits))
        revoked = await self.inner.revoke(tenant, key_id)
        if revoked:
            await self.changes.announce(tenant)
        return revoked

    def forget_tenant(self, slug: str) -> None:
        """Another process changed this tenant's keys (or settings)."""
        self.copies.drop_where(lambda _, key: key.tenant == slug)
