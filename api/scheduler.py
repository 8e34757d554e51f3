"""The scheduler loop: each tick, every job runs over every tenant, on one instance at a time
(a MongoDB lease per job name). The lease is renewed in the background while the job runs; if
it was taken over anyway (a stalled process, a lost connection), the renewal fails and the job
is stopped where it is, as if it had crashed there. Jobs are idempotent and their writes
conditional, so the overlap before that stop costs time, never a duplicate."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from opentelemetry import trace

from api.metrics import Metrics
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
from mongo.leases import Lease, MongoLeases
from mongo.tenant_list import tenant_slugs
from notifications.campaigns import run_due_campaigns
from notifications.dispatch import MAX_BATCHES, drain
from notifications.milestones import queue_milestones
from notifications.pace import Pace
from notifications.recording import RecordingSender
from notifications.reminders import queue_expiry_reminders
from notifications.winback import queue_win_backs

log = logging.getLogger("loyalty.scheduler")
# Without a configured tracer provider (OTEL_EXPORTER_OTLP_ENDPOINT unset) spans are no-ops.
tracer = trace.get_tracer("loyalty.scheduler")

Job = Callable[[Deps, Tenant], Awaitable[int]]


async def _settle(deps: Deps, tenant: Tenant) -> int:
    return await settle_due_wallets(deps, tenant.slug)


async def _sync_ledgers(deps: Deps, tenant: Tenant) -> int:
    return await sync_lagging_ledgers(deps, tenant.slug)


class Scheduler:
    def __init__(
        self,
        database: Database,
        deps: Deps,
        interval: float,
        sender: PushSender | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.database = database
        self.metrics = metrics
        # When each job is next due: how late it starts is the lag operators watch.
        self._due: dict[str, float] = {}
        self.deps = deps
        self.interval = interval
        self.sender: PushSender = sender or RecordingSender()
        # One pace for this process's sender: FCM's Retry-After slows every drain of it.
        self.pace = Pace(max_wave=self.sender.batch_size, wave=self.sender.batch_size)
        self.leases = MongoLeases(database.db)
        self.holder = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        # Waits between lease renewals (tests replace it to renew at chosen moments).
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
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
            ("push-campaigns", self._campaigns),
            ("push-send", self._drain),
        ]

    async def _campaigns(self, deps: Deps, tenant: Tenant) -> int:
        return await run_due_campaigns(deps, tenant, sender=self.sender, pace=self.pace)

    async def _drain(self, deps: Deps, tenant: Tenant) -> int:
        return await drain(deps, tenant, self.sender, pace=self.pace, max_batches=MAX_BATCHES)

    @property
    def ttl(self) -> timedelta:
        return timedelta(seconds=max(self.interval * 5, 30))

    async def tick(self) -> dict[str, int]:
        """One pass over every job; returns what each job did (for logs and tests). A job this
        instance did not get the lease for, or lost it during, is left out."""
        done: dict[str, int] = {}
        for name, job in self.jobs:
            lease = await self.leases.acquire(name, self.holder, self.deps.clock.now(), self.ttl)
            if lease is None:
                continue
            with tracer.start_as_current_span(f"job {name}", attributes={"loyalty.job": name}):
                started = self._started(name)
                total = await self._run_holding(lease, job)
                if self.metrics is not None:
                    ran = self.deps.clock.now().timestamp() - started
                    self.metrics.scheduler_duration.labels(name).observe(max(0.0, ran))
            if total is not None:
                done[name] = total
        return done

    def _started(self, name: str) -> float:
        now = self.deps.clock.now().timestamp()
        due = self._due.get(name, now)
        self._due[name] = now + self.interval
        if self.metrics is not None:
            self.metrics.scheduler_lag.labels(name).set(max(0.0, now - due))
        return now

    async def _run_holding(self, lease: Lease, job: Job) -> int | None:
        """Runs the job over every tenant while renewing its lease; None when the lease was
        lost (the job was stopped)."""
        work = asyncio.create_task(self._over_tenants(job))
        finished = asyncio.Event()
        keeper = asyncio.create_task(self._keep(lease, work, finished))
        try:
            await asyncio.wait({work})
        finally:
            work.cancel()  # still running only when this tick itself is being cancelled
            finished.set()
            await asyncio.wait({keeper})  # a renewal under way lands before the release
            await self.leases.release(lease, self.deps.clock.now())
        if work.cancelled():
            log.warning("lease %s was taken over; the job stopped", lease.job)
            return None
        return work.result()

    async def _over_tenants(self, job: Job) -> int:
        total = 0
        for slug in await tenant_slugs(self.database.db):
            tenant = await self.deps.tenants.get(slug)
            if tenant is not None:
                total += await job(self.deps, tenant)
        return total

    async def _keep(self, lease: Lease, work: asyncio.Task[int], finished: asyncio.Event) -> None:
        """Renews the lease every third of its time to live until the job finished; stops
        `work` as soon as a renewal fails (another instance took the lease over)."""
        while True:
            nap = asyncio.ensure_future(self.sleep(self.ttl.total_seconds() / 3))
            end = asyncio.create_task(finished.wait())
            await asyncio.wait({nap, end}, return_when=asyncio.FIRST_COMPLETED)
            nap.cancel()
            end.cancel()
            if finished.is_set():
                return
            if await self.leases.renew(lease, self.deps.clock.now(), self.ttl) is None:
                work.cancel()
                return

    async def run_forever(self) -> None:
        while True:
            try:
                done = await self.tick()
                if any(done.values()):
                    log.info("scheduler tick: %s", done)
            except Exception:
                log.exception("scheduler tick failed; retrying next tick")
            await asyncio.sleep(self.interval)
