"""A short-lived in-process copy of API keys: every merchant request looks its key up.

Like the tenant copy (mongo/cached_tenants.py): TTL seconds, so a key revoked in the database
stops working on every instance within that time, and within about 200 ms where the change
was announced (mongo/tenant_changes.py: the copies of that tenant's keys are dropped); unknown
keys are never remembered (they are unbounded, and a key created a moment later must work at
once).
"""

from __future__ import annotations

from datetime import timedelta

from loyalty.clock import Clock
from loyalty.tenants import ApiKey
from mongo.tenant_changes import TenantChanges
from mongo.tenants import MongoApiKeys

TTL = timedelta(seconds=5)
MAX_KEYS = 10_000


class CachedApiKeys:
    def __init__(
        self, inner: MongoApiKeys, clock: Clock, changes: TenantChanges | None = None
    ) -> None:
        self.inner = inner
        self.clock = clock
        self.changes = changes or TenantChanges()
        self.changes.listen(self.forget_tenant)
        self.hits = 0  # read by the metrics at scrape time
        self.misses = 0
        self._copies: dict[str, tuple[ApiKey, float]] = {}

    async def insert(self, key: ApiKey) -> None:
        self._copies.pop(key.key_hash, None)
        await self.inner.insert(key)

    async def find(self, key_hash: str) -> ApiKey | None:
        now = self.clock.now().timestamp()
        cached = self._copies.get(key_hash)
        if cached is not None and cached[1] > now:
            self.hits += 1
            return cached[0]
        self.misses += 1
        key = await self.inner.find(key_hash)
        if key is None:
            self._copies.pop(key_hash, None)
            return None
        if len(self._copies) >= MAX_KEYS:
            self._copies.clear()
        self._copies[key_hash] = (key, now + TTL.total_seconds())
        return key

    async def list(self, tenant: str) -> list[ApiKey]:
        return await self.inner.list(tenant)

    async def revoke(self, tenant: str, key_id: str) -> bool:
        # This instance stops at once; the others when they hear of it (mongo/tenant_changes.py),
        # or within TTL if that announcement is lost.
        digits = key_id.removeprefix("key_")
        for key_hash in [h for h in self._copies if h.startswith(digits)]:
            self._copies.pop(key_hash, None)
        revoked = await self.inner.revoke(tenant, key_id)
        if revoked:
            await self.changes.announce(tenant)
        return revoked

    def forget_tenant(self, slug: str) -> None:
        """Another process changed this tenant's keys (or settings)."""
        for key_hash in [h for h, (key, _) in self._copies.items() if key.tenant == slug]:
            del self._copies[key_hash]
