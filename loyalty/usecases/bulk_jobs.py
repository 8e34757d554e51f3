"""Running bulk jobs (the scheduler's "bulk-jobs" job) and reading their progress.

Each batch moves the job's cursor on from where this worker found it, conditionally: when
another worker (whose lease overlapped, or that resumed a job this one was still running)
moved it first, this worker is behind and stops. Its batch was then a replay: the members'
operations were applied once, by whoever got there first, and counted once, by the worker
whose cursor move won."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import replace

from loyalty.bulk_jobs import BulkJob, BulkJobKind, BulkJobStatus, Progress
from loyalty.ports import Deps
from loyalty.tenants import Tenant

BATCH = 500
MAX_BATCHES = 200  # up to 100,000 members per job and tick; the lease is renewed meanwhile
JOBS_PER_TICK = 5

Step = Callable[[Deps, Tenant, BulkJob, int], Awaitable[Progress]]
Steps = Callable[[Deps, Tenant, BulkJob, int], AsyncGenerator[Progress, None]]


async def record_bulk_job(deps: Deps, tenant: Tenant, job: BulkJob) -> None:
    """Audit hook: called once when a bulk job (award or import) is accepted, with the job as
    stored. The audit log (issue 12, privacy part) records it here."""


async def bulk_job(deps: Deps, tenant: Tenant, job_id: str) -> BulkJob | None:
    """The tenant's own job only: another tenant's id reads as no job."""
    return await deps.bulk_jobs.get(tenant.slug, job_id)


async def paged(
    step: Step, deps: Deps, tenant: Tenant, job: BulkJob, batch: int
) -> AsyncGenerator[Progress, None]:
    """One step after another from the job's cursor, up to the last."""
    while True:
        progress = await step(deps, tenant, job, batch)
        yield progress
        if progress.last:
            return
        job = replace(job, cursor=progress.cursor)


def _steps() -> dict[BulkJobKind, Steps]:
    # Imported here: both step modules import record_bulk_job from this one.
    from loyalty.usecases.bulk_awards import award_steps
    from loyalty.usecases.imports import import_steps

    return {BulkJobKind.AWARD_POINTS: award_steps, BulkJobKind.IMPORT_MEMBERS: import_steps}


async def run_bulk_jobs(
    deps: Deps, tenant: Tenant, max_batches: int = MAX_BATCHES, *, batch: int = BATCH
) -> int:
    """Works on the tenant's unfinished jobs, oldest first; returns the members handled."""
    handled = 0
    for job in await deps.bulk_jobs.unfinished(tenant.slug, JOBS_PER_TICK):
        handled += await run_job(deps, tenant, job, max_batches, batch)
    return handled


async def run_job(deps: Deps, tenant: Tenant, job: BulkJob, max_batches: int, batch: int) -> int:
    steps = _steps()[job.kind]
    if job.status is BulkJobStatus.QUEUED:
        started = await deps.bulk_jobs.start(job, deps.clock.now())
        if started is None:  # another worker started it: take it as it is now
            started = await deps.bulk_jobs.get(tenant.slug, job.id)
            if started is None or started.finished:
                return 0
        job = started
    handled = 0
    if max_batches <= 0:
        return handled
    batches = steps(deps, tenant, job, batch)
    async with aclosing(batches):
        async for progress in batches:
            staged = progress.last and job.kind is BulkJobKind.IMPORT_MEMBERS
            counted = replace(progress, last=False) if staged else progress
            moved = await deps.bulk_jobs.advance(job, counted, deps.clock.now())
            if moved is None:  # another worker is ahead: this batch was a replay
                break
            handled += progress.done + progress.failed
            job = moved
            if staged:
                await _finish_import(deps, tenant, job)
            if progress.last:
                break
            max_batches -= 1
            if max_batches <= 0:
                break
    return handled


async def _finish_import(deps: Deps, tenant: Tenant, job: BulkJob) -> None:
    """The staged rows (personal data) go before the job is DONE: a crash in between leaves it
    RUNNING past its last row, and the next tick finds no rows, forgets again and finishes."""
    await deps.bulk_jobs.forget_staged(tenant.slug, job.id)
    await deps.bulk_jobs.advance(job, Progress(job.cursor, 0, 0, last=True), deps.clock.now())
