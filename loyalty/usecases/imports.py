"""importMembers: members and balances from another loyalty app, from a CSV file.

The file is read row by row (a dry run writes nothing). A real run stages the accepted rows
under a job named by the file's hash, then the scheduler migrates them in batches. Running
the same file again finds its job and changes nothing; a member's migrated balance is the
wallet operation `migrate`, applied once per member whatever file carries them again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator
from dataclasses import dataclass
from typing import Protocol

from loyalty.bulk_jobs import BulkJob, BulkJobKind, BulkJobStatus, Progress, StagedRow
from loyalty.digest_set import DigestSet
from loyalty.errors import ErrorCode
from loyalty.import_csv import MalformedCsv, read_rows
from loyalty.import_rows import ImportProblem, MigratedMember, RowContext, check_row, read_header
from loyalty.import_values import member_from_values, member_values
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.bulk_jobs import paged, record_bulk_job
from loyalty.usecases.migration import migrate_members

MAX_ROWS = 1_000_000
MAX_IMPORT_MB = 100
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
MAX_PROBLEMS = 1_000  # reported; every refused row is counted
STAGE_BATCH = 1_000


class TextSource(Protocol):
    """An uploaded file: its bytes' SHA-256, and its text (UTF-8, BOM dropped) line by line.
    Reading may raise UnicodeDecodeError where the bytes are not UTF-8."""

    def digest(self) -> str: ...
    def lines(self) -> Iterator[str]: ...


@dataclass(frozen=True)
class ImportReport:
    rows_ok: int
    rows_refused: int
    problems: tuple[ImportProblem, ...]
    job: BulkJob | None = None


class _Tally:
    def __init__(self) -> None:
        self.ok = 0
        self.refused = 0
        self.problems: list[ImportProblem] = []
        self.fatal = False  # the file as a whole cannot be imported

    def add(self, problems: list[ImportProblem]) -> None:
        room = MAX_PROBLEMS - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])

    def report(self, job: BulkJob | None = None) -> ImportReport:
        return ImportReport(self.ok, self.refused, tuple(self.problems), job)


async def import_members(
    deps: Deps, tenant: Tenant, source: TextSource, *, dry_run: bool
) -> ImportReport:
    job_id = None
    if not dry_run:
        job_id = "import-" + (await asyncio.to_thread(source.digest))[:24]
    existing = await deps.bulk_jobs.get(tenant.slug, job_id) if job_id else None
    stage = job_id is not None and existing is None
    tally = await _read(deps, tenant, source, job_id if stage else None)
    if tally.fatal or job_id is None or tally.ok == 0:
        return tally.report()
    if existing is None:
        wanted = BulkJob(
            tenant=tenant.slug,
            id=job_id,
            kind=BulkJobKind.IMPORT_MEMBERS,
            status=BulkJobStatus.QUEUED,
            created_at=deps.clock.now(),
            fingerprint=job_id,
            total=tally.ok,
        )
        existing, fresh = await deps.bulk_jobs.insert(wanted)
        if fresh:
            await record_bulk_job(deps, tenant, existing)
    return tally.report(existing)


async def _read(deps: Deps, tenant: Tenant, source: TextSource, job_id: str | None) -> _Tally:
    """Checks every row; with a job id, stages the accepted ones for it as it goes."""
    program = tenant.program
    context = RowContext(deps.clock.now(), program.timezone, program.currency)
    tally = _Tally()
    seen = DigestSet()  # the external ids so far, 8 bytes each: duplicates in the file
    batch: list[StagedRow] = []
    rows = read_rows(source.lines())
    line = 1
    try:
        header = next(rows, None)
        if header is None:
            tally.add([ImportProblem(1, None, ErrorCode.IMPORT_EMPTY_FILE)])
            tally.fatal = True
            return tally
        names, problems = read_header(header[1])
        if problems:
            tally.add(problems)
            tally.fatal = True
            return tally
        for line, cells in rows:
            if tally.ok + tally.refused >= MAX_ROWS:
                tally.add(
                    [ImportProblem(line, None, ErrorCode.IMPORT_TOO_MANY_ROWS, {"max": MAX_ROWS})]
                )
                tally.fatal = True
                break
            checked = check_row(line, names, cells, context)
            if isinstance(checked, MigratedMember) and not seen.add(checked.external_id):
                value = checked.external_id[:64]
                checked = [
                    ImportProblem(line, "external_id", ErrorCode.DUPLICATE_VALUE, {"value": value})
                ]
            if isinstance(checked, MigratedMember):
                if job_id is not None:
                    batch.append(StagedRow(tally.ok, line, member_values(checked)))
                tally.ok += 1
            else:
                tally.refused += 1
                tally.add(checked)
            if (tally.ok + tally.refused) % STAGE_BATCH == 0:
                await _stage(deps, tenant, job_id, batch)
                await asyncio.sleep(0)  # let other requests run between thousands of rows
    except UnicodeDecodeError:
        tally.add([ImportProblem(line + 1, None, ErrorCode.IMPORT_ENCODING)])
        tally.fatal = True
    except MalformedCsv as exc:
        tally.add([ImportProblem(exc.line, None, ErrorCode.IMPORT_MALFORMED)])
        tally.fatal = True
    if tally.fatal:
        if job_id is not None:  # nothing of a file refused as a whole stays staged
            await deps.bulk_jobs.forget_staged(tenant.slug, job_id)
    else:
        await _stage(deps, tenant, job_id, batch)
    return tally


async def _stage(deps: Deps, tenant: Tenant, job_id: str | None, batch: list[StagedRow]) -> None:
    if job_id is not None and batch:
        await deps.bulk_jobs.stage(tenant.slug, job_id, batch)
    batch.clear()


async def import_step(deps: Deps, tenant: Tenant, job: BulkJob, batch: int) -> Progress:
    """Migrates the next staged rows after the job's cursor (the last row index done)."""
    first = 0 if job.cursor is None else int(job.cursor) + 1
    rows = await deps.bulk_jobs.staged(tenant.slug, job.id, first, batch)
    done = await migrate_members(deps, tenant, [member_from_values(row.values) for row in rows])
    cursor = str(rows[-1].index) if rows else job.cursor
    return Progress(cursor, done, len(rows) - done, last=len(rows) < batch)


def import_steps(
    deps: Deps, tenant: Tenant, job: BulkJob, batch: int
) -> AsyncGenerator[Progress, None]:
    return paged(import_step, deps, tenant, job, batch)
