"""The scheduler loop: each tick, every job runs once across all instances (MongoDB lease)."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.leaderboards import refresh as refresh_leaderboards
from loyalty.usecases.referrals import settle_due_referrals
from loyalty.usecases.segments import rescore_due
from loyalty.usecases.settlement import settle_due_wallets
from loyalty.usecases.tiers import review_due_tiers
from mongo.client import Database
from mongo.leases import MongoLeases
from mongo.tenant_list import tenant_slugs

log = logging.getLogger("loyalty.scheduler")

TenantJob = Callable[[Deps, Tenant], Awaitable[int]]


async def _settle(deps: Deps, tenant: Tenant) -> int:
    return await settle_due_wallets(deps, tenant.slug)


# Each job under its own lease name: a slow job never holds back the others' leases, and
# every job is idempotent and goes tenant by tenant.
JOBS: tuple[tuple[str, TenantJob], ...] = (
    ("settle", _settle),
    ("tiers", review_due_tiers),
    ("segments", rescore_due),
    ("referrals", settle_due_referrals),
    ("leaderboards", refresh_leaderboards),
)


class Scheduler:
    def __init__(self, database: Database, deps: Deps, interval: float) -> None:
        self.database = database
        self.deps = deps
        self.interval = interval
        self.leases = MongoLeases(database.db)
        self.holder = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"

    async def tick(self) -> dict[str, int]:
        """One pass over every job; returns what each job did (for logs and tests)."""
        done: dict[str, int] = {}
        ttl = timedelta(seconds=max(self.interval * 5, 30))
        for name, job in JOBS:
            if not await self.leases.acquire(name, self.holder, self.deps.clock.now(), ttl):
                continue
            try:
                total = 0
                for slug in await tenant_slugs(self.database.db):
                    tenant = await self.deps.tenants.get(slug)
                    if tenant is not None:
                        total += await job(self.deps, tenant)
                done[name] = total
            finally:
                await self.leases.release(name, self.holder, self.deps.clock.now())
        return done

    async def run_forever(self) -> None:
        while True:
            try:
                done = await self.tick()
                if any(done.values()):
                    log.info("scheduler tick: %s", done)
            except Exception:
                log.exception("scheduler tick failed; retrying next tick")
            await asyncio.sleep(self.interval)
