"""Bulk work: jobs and their progress, the points award, the member import's report."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.errors import ErrorCode, UserError
from graphql_schema.node import global_id
from graphql_schema.tiers import Segment
from loyalty.bulk_jobs import BulkJob as DomainBulkJob
from loyalty.bulk_jobs import BulkJobStatus as DomainBulkJobStatus

strawberry.enum(DomainBulkJobStatus, name="BulkJobStatus")
BulkJobStatus = DomainBulkJobStatus


@strawberry.type
class BulkJob:
    id: strawberry.ID
    kind: str = strawberry.field(description="AWARD_POINTS or IMPORT_MEMBERS.")
    status: BulkJobStatus
    total: int
    done: int
    failed: int
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: DomainBulkJob) -> BulkJob:
        return cls(
            id=global_id("BulkJob", job.tenant, job.id),
            kind=job.kind.value,
            status=job.status,
            total=job.total,
            done=job.done,
            failed=job.failed,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )


@strawberry.input(description="One audience at most: a segment, a tier or a list; none = all.")
class AwardPointsInput:
    segment: Segment | None = None
    tier_id: strawberry.ID | None = None
    member_external_ids: list[strawberry.ID] | None = None
    points: int
    reason: str
    idempotency_key: str


@strawberry.type
class AwardPointsPayload:
    job: BulkJob | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ImportProblem:
    line: int
    column: str | None
    code: ErrorCode
    message: str


@strawberry.type
class ImportMembersPayload:
    job: BulkJob | None = None
    rows_ok: int = 0
    rows_refused: int = 0
    problems: list[ImportProblem] = strawberry.field(default_factory=list)
    user_errors: list[UserError] = strawberry.field(default_factory=list)
