"""The scheduler loop: each tick, every job runs over every tenant, each (job, tenant) on one
instance at a time (a MongoDB lease per job and tenant, `_id` "tenant:job"), so several workers
share a tick's tenants: one skips what another holds and goes on with the next tenant. The
lease is renewed in the background while the job runs for that tenant; if it was taken over
anyway (a stalled process, a lost connection), the renewal fails and that run is stopped where
it is, as if it had crashed there. Jobs are idempotent and their writes conditional, so the
overlap before that stop costs time, never a duplicate.

Sending the outbox (`push-send`) takes no lease: its claims are fenced row by row
(notifications/dispatch.py), so every instance drains every tenant at once, and a campaign of
100,000 members is sent by all the workers' cores instead of one. A tick's drain stops after
MAX_BATCHES per tenant; a tenant it (or the campaign job) found work for is "hot", and between
ticks `send_forever` keeps draining the hot tenants, a batch each in turn, until nothing is due
for them: a large campaign gets every worker's help at once, not one slice per tick."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from opentelemetry import trace

from api.metrics import Metrics
from integrations.outbound_sender import HttpWebhookSender
from loyalty.notifications import PushSender
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.birthdays import pay_birthdays
from loyalty.usecases.bulk_jobs import run_bulk_jobs
from loyalty.usecases.coupons import settle_coupons
from loyalty.usecases.leaderboards import refresh as refresh_leaderboards
from loyalty.usecases.ledger_sync import sync_lagging_ledgers
from loyalty.usecases.redemption_sweep import sweep_redemptions
from loyalty.usecases.referrals import settle_due_referrals
from loyalty.usecases.segments import rescore_due
from loyalty.usecases.settlement import settle_due_wallets
from loyalty.usecases.tiers import review_due_tiers
from loyalty.usecases.transfer_sweep import sweep_transfers
from loyalty.usecases.webhook_deliveries import deliver_due
from loyalty.usecases.webhook_fanout import fan_out
from loyalty.webhook_ports import UNWATCHED, WebhookSender
from mongo.client import Database
from mongo.leases import Lease, MongoLeases
from mongo.tenant_list import tenant_slugs
from notifications.campaigns import run_due_campaigns
from notifications.dispatch import BATCH, MAX_BATCHES, drain
from notifications.milestones import queue_milestones
from notifications.pace import Pace
from notifications.recording import RecordingSender
from notifications.reminders import queue_expiry_reminders
from notifications.winback import queue_win_backs

log = logging.getLogger("loyalty.scheduler")
# Without a configured tracer provider (OTEL_EXPORTER_OTLP_ENDPOINT unset) spans are no-ops.
tracer = trace.get_tracer("loyalty.scheduler")

Job = Callable[[Deps, Tenant], Awaitable[int]]
UNLEASED = frozenset({"push-send"})  # safe on every instance at once (see above)


async def _settle(deps: Deps, tenant: Tenant) -> int:
    return await settle_due_wallets(deps, tenant.slug)


async def _sync_ledgers(deps: Deps, tenant: Tenant) -> int:
    return await sync_lagging_ledgers(deps, tenant.slug)


def lease_key(job: str, tenant: str) -> str:
    """Tenant first, like every other tenant-owned `_id` (see docs/SCALING.md)."""
    return f"{tenant}:{job}"


class Scheduler:
    def __init__(
        self,
        database: Database,
        deps: Deps,
        interval: float,
        sender: PushSender | None = None,
        metrics: Metrics | None = None,
        webhook_sender: WebhookSender | None = None,
    ) -> None:
        self.database = database
        self.metrics = metrics
        # When each job is next due: how late it starts is the lag operators watch.
        self._due: dict[str, float] = {}
        self.deps = deps
        self.interval = interval
        self.sender: PushSender = sender or RecordingSender()
        self.webhook_sender: WebhookSender = webhook_sender or HttpWebhookSender()
        # One pace for this process's sender: FCM's Retry-After slows every drain of it.
        self.pace = Pace(max_wave=self.sender.batch_size, wave=self.sender.batch_size)
        self.leases = MongoLeases(database.db)
        # Tenants with pushes due as of the last look, drained between ticks (send_forever).
        self.hot: set[str] = set()
        self._woken = asyncio.Event()
        self.batch = BATCH  # rows a drain claims at a time
        self.holder = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        # Waits between lease renewals (tests replace it to renew at chosen moments).
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        # Each job under its own lease per tenant, so a slow job never holds back the others. Order
        # matters within a tick: expiry is written before reminders look at the lots, tier and
        # trial reviews record their events before the milestone pushes read them, and
        # everything is queued before the outbox is drained.
        self.jobs: list[tuple[str, Job]] = [
            ("ledger-sync", _sync_ledgers),
            ("settle", _settle),
            ("redemptions", sweep_redemptions),
            ("transfers", sweep_transfers),
            ("tiers", review_due_tiers),
            ("segments", rescore_due),
            ("referrals", settle_due_referrals),
            ("leaderboards", refresh_leaderboards),
            ("birthdays", pay_birthdays),
            ("push-reminders", queue_expiry_reminders),
            ("push-milestones", queue_milestones),
            ("push-win-back", queue_win_backs),
            ("push-campaigns", self._campaigns),
            ("bulk-jobs", run_bulk_jobs),  # awards and imports, before the pushes go out
            ("push-send", self._drain),
            # Issue 10: coupons' points back, then outbound webhooks (after every producer).
            ("coupons", settle_coupons),
            ("webhooks-fanout", fan_out),
            (
                "webhooks-send",
                lambda deps, tenant: deliver_due(
                    deps, tenant, self.webhook_sender, watch=metrics or UNWATCHED
                ),
            ),
        ]

    async def _campaigns(self, deps: Deps, tenant: Tenant) -> int:
        queued = await run_due_campaigns(deps, tenant, sender=self.sender, pace=self.pace)
        return self._heat(tenant, queued)

    async def _drain(self, deps: Deps, tenant: Tenant) -> int:
        handled = await drain(
            deps, tenant, self.sender, self.batch, pace=self.pace, max_batches=MAX_BATCHES
        )
        return self._heat(tenant, handled)

    def _heat(self, tenant: Tenant, work: int) -> int:
        if work:
            self.hot.add(tenant.slug)
            self._woken.set()
        return work

    async def send_pass(self) -> int:
        """One batch for each hot tenant; a tenant with nothing left to send cools down."""
        handled = 0
        for slug in sorted(self.hot):
            tenant = await self.deps.tenants.get(slug)
            sent = 0
            if tenant is not None:
                sent = await drain(self.deps, tenant, self.sender, self.batch, pace=self.pace)
            if not sent:
                self.hot.discard(slug)
            handled += sent
        return handled

    async def send_forever(self) -> None:
        while True:
            await self._woken.wait()
            self._woken.clear()
            while self.hot:
                try:
                    handled = await self.send_pass()
                except Exception:
                    log.exception("send pass failed; retrying at the next tick")
                    self.hot.clear()
                    break
                if not handled and self.pace.paused(self.deps.clock.now()):
                    break  # FCM asked to wait: the next tick looks again

    @property
    def ttl(self) -> timedelta:
        return timedelta(seconds=max(self.interval * 5, 30))

    async def tick(self) -> dict[str, int]:
        """One pass over every job and tenant; returns what each job did (for logs and tests).
        A (job, tenant) this instance did not get the lease for, or lost it during, is left
        out; a job that ran for no tenant here is left out."""
        done: dict[str, int] = {}
        slugs = await tenant_slugs(self.database.db)
        for name, job in self.jobs:
            with tracer.start_as_current_span(f"job {name}", attributes={"loyalty.job": name}):
                started = self._started(name)
                total = await self._over_tenants(name, job, slugs)
                if self.metrics is not None:
                    ran = self.deps.clock.now().timestamp() - started
                    self.metrics.scheduler_duration.labels(name).observe(max(0.0, ran))
            if total is not None:
                done[name] = total
        return done

    async def _over_tenants(self, name: str, job: Job, slugs: list[str]) -> int | None:
        total: int | None = None
        for slug in slugs:
            if name in UNLEASED:
                total = (total or 0) + await self._for_tenant(job, slug)
                continue
            key = lease_key(name, slug)
            lease = await self.leases.acquire(key, self.holder, self.deps.clock.now(), self.ttl)
            if lease is None:
                continue  # another instance runs this job for this tenant
            ran = await self._run_holding(lease, job, slug)
            if ran is not None:
                total = (total or 0) + ran
        return total

    def _started(self, name: str) -> float:
        now = self.deps.clock.now().timestamp()
        due = self._due.get(name, now)
        self._due[name] = now + self.interval
        if self.metrics is not None:
            self.metrics.scheduler_lag.labels(name).set(max(0.0, now - due))
        return now

    async def _run_holding(self, lease: Lease, job: Job, slug: str) -> int | None:
        """Runs the job for one tenant while renewing its lease; None when the lease was lost
        (the run was stopped)."""
        work = asyncio.create_task(self._for_tenant(job, slug))
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

    async def _for_tenant(self, job: Job, slug: str) -> int:
        tenant = await self.deps.tenants.get(slug)
        return 0 if tenant is None else await job(self.deps, tenant)

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
        sending = asyncio.create_task(self.send_forever())
        try:
            while True:
                try:
                    done = await self.tick()
                    if any(done.values()):
                        log.info("scheduler tick: %s", done)
                except Exception:
                    log.exception("scheduler tick failed; retrying next tick")
                await asyncio.sleep(self.interval)
        finally:
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sending
