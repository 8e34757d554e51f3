"""The scheduler loop: each tick, every job runs once across all instances (MongoDB lease per
job name), over every tenant. Jobs are idempotent, so a lease that lapses mid-run and lets a
second instance in costs time, never a duplicate."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from loyalty.notifications import PushSender
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.leaderboards import refresh as refresh_leaderboards
from loyalty.usecases.ledger_sync import sync_lagging_ledgers
from loyalty.usecases.redemption_sweep import sweep_redemptions
from loyalty.usecases.referrals import settle_due_referrals
from loyalty.usecases.segments import rescore_due
from loyalty.usecases.settlement import settle_due_wallets
from loyalty.usecases.tiers import review_due_tiers
from mongo.client import Database
from mongo.leases import MongoLeases
from mongo.tenant_list import tenant_slugs
from notifications.campaigns import run_due_campaigns
from notifications.dispatch import drain
from notifications.milestones import queue_milestones
from notifications.recording import RecordingSender
from notifications.reminders import queue_expiry_reminders
from notifications.winback import queue_win_backs

log = logging.getLogger("loyalty.scheduler")

Job = Callable[[Deps, Tenant], Awaitable[int]]


async def _settle(deps: Deps, tenant: Tenant) -> int:
    return await settle_due_wallets(deps, tenant.slug)


async def _sync_ledgers(deps: Deps, tenant: Tenant) -> int:
    return await sync_lagging_ledgers(deps, tenant.slug)


class Scheduler:
    def __init__(
        self, database: Database, deps: Deps, interval: float, sender: PushSender | None = None
    ) -> None:
        self.database = database
        self.deps = deps
        self.interval = interval
        self.sender: PushSender = sender or RecordingSender()
        self.leases = MongoLeases(database.db)
        self.holder = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        # Each job under its own lease name, so a slow job never holds back the others. Order
        # matters within a tick: expiry is written before reminders look at the lots, tier and
        # trial reviews record their events before the milestone pushes read them, and
        # everything is queued before the outbox is drained.
        self.jobs: list[tuple[str, Job]] = [
            ("ledger-sync", _sync_ledgers),
            ("settle", _settle),
            ("redemptions", sweep_redemptions),
            ("tiers", review_due_tiers),
            ("segments", rescore_due),
            ("referrals", settle_due_referrals),
            ("leaderboards", refresh_leaderboards),
            ("push-reminders", queue_expiry_reminders),
            ("push-milestones", queue_milestones),
            ("push-win-back", queue_win_backs),
            ("push-campaigns", run_due_campaigns),
            ("push-send", lambda deps, tenant: drain(deps, tenant, self.sender)),
        ]

    async def tick(self) -> dict[str, int]:
        """One pass over every job; returns what each job did (for logs and tests)."""
        done: dict[str, int] = {}
        ttl = timedelta(seconds=max(self.interval * 5, 30))
        for name, job in self.jobs:
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
