"""awardPoints: the same points to a whole audience, as a bulk job the scheduler runs.

Accepting the job fixes its audience (the high-water mark, see `Audience`) and counts it; the
worker then credits one page of members at a time, the page in a few round trips
(`move_many`). Each credit is the wallet operation `bulk:<job id>` on that member's wallet,
applied exactly once by the ledger's operation index however often a crashed or racing worker
repeats the page."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import replace

from loyalty.bulk_jobs import Audience, BulkJob, BulkJobKind, BulkJobStatus, Progress
from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletChange, WalletState
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps, MemberRead
from loyalty.segments import Segment
from loyalty.tenants import Tenant
from loyalty.usecases.bulk_jobs import paged, record_bulk_job
from loyalty.usecases.members import check_external_id
from loyalty.usecases.moves import move_many
from loyalty.wallet import MAX_POINTS_PER_OPERATION, earn

MAX_REASON = 500
MAX_KEY = 128
MAX_EXTERNAL_IDS = 10_000


def _clean_ids(external_ids: list[str]) -> tuple[str, ...]:
    if not external_ids or len(external_ids) > MAX_EXTERNAL_IDS:
        raise DomainError(
            ErrorCode.OUT_OF_RANGE, ("input", "memberExternalIds"), min=1, max=MAX_EXTERNAL_IDS
        )
    for index, external_id in enumerate(external_ids):
        check_external_id(external_id, ("input", "memberExternalIds", str(index)))
    return tuple(sorted(set(external_ids)))


async def award_points(
    deps: Deps,
    tenant: Tenant,
    *,
    segment: Segment | None,
    tier_id: str | None,
    external_ids: list[str] | None,
    points: int,
    reason: str,
    idempotency_key: str,
) -> BulkJob:
    """The job for this idempotency key: created now, or the one a first call created (the
    same key with other content is IDEMPOTENCY_CONFLICT). No audience given = every member."""
    if points <= 0 or points > MAX_POINTS_PER_OPERATION:
        raise DomainError(ErrorCode.INVALID_POINTS, ("input", "points"))
    reason = reason.strip()
    if not reason:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "reason"), detail="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(ErrorCode.TOO_LONG, ("input", "reason"), max=MAX_REASON)
    key = idempotency_key.strip()
    if not key or len(key) > MAX_KEY:
        raise DomainError(
            ErrorCode.INVALID_INPUT, ("input", "idempotencyKey"), detail="idempotencyKey"
        )
    if sum(x is not None for x in (segment, tier_id, external_ids)) > 1:
        raise DomainError(ErrorCode.INVALID_AUDIENCE, ("input",))
    if tier_id is not None and tenant.program.tier(tier_id) is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "tierId"))
    ids = _clean_ids(external_ids) if external_ids is not None else None
    fingerprint = request_fingerprint(segment, tier_id, ids, points, reason)
    job_id = hashlib.sha256(f"award\x1f{key}".encode()).hexdigest()[:20]
    existing = await deps.bulk_jobs.get(tenant.slug, job_id)
    if existing is None:
        until = await deps.bulk_jobs.highest_member_id(tenant.slug)
        audience = Audience(segment, tier_id, ids, until)
        total = (
            len(ids)
            if ids is not None
            else await deps.bulk_jobs.count_audience(tenant.slug, audience)
        )
        wanted = BulkJob(
            tenant=tenant.slug,
            id=job_id,
            kind=BulkJobKind.AWARD_POINTS,
            status=BulkJobStatus.QUEUED,
            created_at=deps.clock.now(),
            fingerprint=fingerprint,
            total=total,
            audience=audience,
            points=points,
            reason=reason,
        )
        existing, fresh = await deps.bulk_jobs.insert(wanted)
        if fresh:
            await record_bulk_job(deps, tenant, existing)
    if existing.fingerprint != fingerprint:
        raise DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, ("input", "idempotencyKey"))
    return existing


async def award_step(deps: Deps, tenant: Tenant, job: BulkJob, batch: int) -> Progress:
    """Credits the next page of the audience after the job's cursor."""
    audience = job.audience
    if audience.external_ids is None:
        reads = await deps.bulk_jobs.audience_page(tenant.slug, audience, job.cursor, batch)
        return await credit_page(deps, tenant, job, reads, batch)
    ids = audience.external_ids
    start = 0 if job.cursor is None else bisect.bisect_right(ids, job.cursor)
    page = list(ids[start : start + batch])
    found = await deps.bulk_jobs.by_external_ids(tenant.slug, page, audience.until_id)
    credited = await _credit(deps, tenant, job, [found[i] for i in page if i in found])
    cursor = page[-1] if page else job.cursor
    return Progress(cursor, credited, len(page) - credited, last=start + batch >= len(ids))


async def award_steps(
    deps: Deps, tenant: Tenant, job: BulkJob, batch: int
) -> AsyncGenerator[Progress, None]:
    """The job's batches from its cursor on, up to the last. A segment, tier or whole base is
    read through one cursor in member id order (one page held at a time) rather than one query
    per page; a list of external ids is paged through its sorted ids."""
    if job.audience.external_ids is not None:
        async for progress in paged(award_step, deps, tenant, job, batch):
            yield progress
        return
    pages = deps.bulk_jobs.audience_pages(tenant.slug, job.audience, job.cursor, batch)
    async with aclosing(pages):
        async for reads in pages:
            progress = await credit_page(deps, tenant, job, reads, batch)
            yield progress
            if progress.last:
                return
            job = replace(job, cursor=progress.cursor)
    yield Progress(job.cursor, 0, 0, last=True)  # it ended on a page boundary, or was empty


async def credit_page(
    deps: Deps, tenant: Tenant, job: BulkJob, reads: list[MemberRead], batch: int
) -> Progress:
    credited = await _credit(deps, tenant, job, reads)
    cursor = reads[-1].member.id if reads else job.cursor
    return Progress(cursor, credited, len(reads) - credited, last=len(reads) < batch)


async def _credit(deps: Deps, tenant: Tenant, job: BulkJob, reads: list[MemberRead]) -> int:
    """How many of the members hold the job's points (now or by an earlier, repeated run);
    the others are gone (erased) or their wallet stayed contended."""
    op_id = f"bulk:{job.id}"
    now = deps.clock.now()
    why = Reason("reason.bulk_award", text=job.reason)
    expires_at = tenant.program.expires_at(now)

    def credit(state: WalletState) -> WalletChange:
        return earn(
            state,
            deps.clock.now(),
            op_id=op_id,
            points=job.points,
            type_=TransactionType.ADJUST,
            reason=why,
            earned_at=now,
            available_at=now,
            expires_at=expires_at,
        )

    done, _ = await move_many(deps, tenant.slug, op_id, [(read, credit) for read in reads])
    return len(done)
