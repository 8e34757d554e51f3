"""Bulk jobs: whole-base work (a points award to an audience, a member import) that the
scheduler runs in batches, and whose progress the merchant reads.

A job moves through a cursor (the last member id, or import line, it finished), so a worker
that crashed is resumed by the next one from there; every member's change carries an
operation id derived from the job, so whatever a crash or a racing worker repeats is a replay,
never a second credit."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from loyalty.segments import Segment

if TYPE_CHECKING:  # ports names this module's repository in Deps
    from loyalty.ports import MemberRead


class BulkJobStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


class BulkJobKind(StrEnum):
    AWARD_POINTS = "AWARD_POINTS"
    IMPORT_MEMBERS = "IMPORT_MEMBERS"


@dataclass(frozen=True)
class Audience:
    """Who an award goes to: a segment, a tier, a list of external ids, or (none of them)
    every member. `until_id` is the audience's high-water mark: the largest member id of the
    tenant when the job was accepted; members who join later have larger ids and are left
    out, so the audience is fixed without holding it anywhere."""

    segment: Segment | None = None
    tier_id: str | None = None
    external_ids: tuple[str, ...] | None = None
    until_id: str | None = None


@dataclass(frozen=True)
class BulkJob:
    tenant: str
    id: str
    kind: BulkJobKind
    status: BulkJobStatus
    created_at: datetime
    fingerprint: str  # the request's content: a reused key with other content is refused
    total: int = 0
    done: int = 0
    failed: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cursor: str | None = None  # last member id or external id (award), row index (import)
    audience: Audience = Audience()
    points: int = 0
    reason: str = ""

    @property
    def finished(self) -> bool:
        return self.status in (BulkJobStatus.DONE, BulkJobStatus.FAILED)


@dataclass(frozen=True)
class Progress:
    """What one batch did: the new cursor, and how many it finished or could not do."""

    cursor: str | None
    done: int
    failed: int
    last: bool


@dataclass(frozen=True)
class StagedRow:
    """One accepted import row kept for the worker: its place among the accepted rows (0, 1,
    2, ...: the worker reads them by exact key, never by a sorted range), its line in the
    file and its validated values."""

    index: int
    line: int
    values: dict[str, object]


class BulkJobRepository(Protocol):
    async def insert(self, job: BulkJob) -> tuple[BulkJob, bool]:
        """The job, or the one already stored under its id (then False)."""
        ...

    async def get(self, tenant: str, job_id: str) -> BulkJob | None: ...
    async def unfinished(self, tenant: str, limit: int) -> list[BulkJob]: ...
    async def start(self, job: BulkJob, now: datetime) -> BulkJob | None:
        """QUEUED to RUNNING; None when another worker started it first."""
        ...

    async def advance(self, job: BulkJob, progress: Progress, now: datetime) -> BulkJob | None:
        """Moves the cursor on from where `job` had it, counting the batch; None when another
        worker moved it first (this one is behind and stops; its batch was a replay)."""
        ...

    async def highest_member_id(self, tenant: str) -> str | None: ...
    async def count_audience(self, tenant: str, audience: Audience) -> int: ...
    async def audience_page(
        self, tenant: str, audience: Audience, after: str | None, limit: int
    ) -> list[MemberRead]:
        """Members of a segment, tier or the whole base up to the high-water mark, in id
        order after `after`."""
        ...

    def audience_pages(
        self, tenant: str, audience: Audience, after: str | None, size: int
    ) -> AsyncGenerator[list[MemberRead], None]:
        """The same members as successive `audience_page` calls, `size` at a time, read
        through one cursor (close it when stopping early)."""
        ...

    async def by_external_ids(
        self, tenant: str, external_ids: list[str], until_id: str | None
    ) -> dict[str, MemberRead]: ...
    async def stage(self, tenant: str, job_id: str, rows: list[StagedRow]) -> None:
        """Idempotent: a row already staged (same job and index) is kept as it is."""
        ...

    async def staged(self, tenant: str, job_id: str, first: int, limit: int) -> list[StagedRow]:
        """The rows with index first .. first + limit - 1 that exist, in index order."""
        ...

    async def forget_staged(self, tenant: str, job_id: str) -> None:
        """Drops a finished import's staged rows (the job keeps its counts)."""
        ...
