"""importMembers at scale: rows per second checked (dry run), staged (real run) and migrated
by the worker, with peak RSS.

    .venv/bin/python -m bench.import_members [--rows 10000 50000 100000] [--batch 500]
        [--uri mongodb://... | --devstore]

Each size runs in its own process: it writes a CSV of N members (Arabic names, local phones,
a birthday, two lots each) to a temporary file, reads it the way an upload is read (from the
spooled file, line by line: never whole), then runs the job's worker to the end and checks
every member's balance. The file streams and the worker holds one page of rows, so the
process's own memory is flat in N: compare the peaks at each size. On memory:// the store
lives in the process and scans whole collections per query: keep N small there. Prints
numbers; asserts only correctness."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from typing import IO, Any

from bench.scale_runs import (
    Column,
    megabytes,
    peak_rss_mb,
    run_sizes,
)
from graphql_schema.uploads import UploadedText
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.program import LocalizedText, Program
from loyalty.tenants import Tenant
from loyalty.usecases.bulk_jobs import run_bulk_jobs
from loyalty.usecases.imports import import_members
from mongo.client import open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps

HEADER = (
    "external_id,name,phone,email,birthday,joined_at,points,"
    "lot1_points,lot1_earned_at,lot1_expires_at,lot2_points,lot2_earned_at\r\n"
)


class _NoEvents:
    def publish(self, tenant: str, member_id: str) -> None:
        return None


class _Upload:
    def __init__(self, file: IO[bytes]) -> None:
        self.file = file


def write_csv(file: IO[bytes], rows: int) -> None:
    file.write(b"\xef\xbb\xbf" + HEADER.encode())
    for i in range(rows):
        row = (
            f"c{i},سارة العتيبي {i},05{i % 100000000:08d},c{i}@example.com,1990-05-01,"
            f"2023-02-01,150,100,2025-06-01,2026-06-01,50,2025-12-01\r\n"
        )
        file.write(row.encode())
    file.flush()


async def measure(uri: str, rows: int, batch: int) -> dict[str, Any]:
    name = f"loyalty_bench_import_{rows}"
    database = open_database(uri, name)
    if not database.is_memory:
        await database.client.drop_database(name)  # a run stopped half way
    await ensure_indexes(database.db, expire=False)
    clock = FrozenClock(datetime(2026, 1, 15, 12, tzinfo=UTC))
    deps = build_deps(database, clock, _NoEvents(), images=PillowImages())
    tenant = Tenant("bench", Program(LocalizedText(en="Bench"), "SAR", "en"), (), clock.now())
    result: dict[str, Any] = {"rows": rows}
    with tempfile.TemporaryFile() as file:
        write_csv(file, rows)
        result["file_mb"] = file.tell() / 1024 / 1024
        source = UploadedText(_Upload(file))
        started = time.perf_counter()
        report_ = await import_members(deps, tenant, source, dry_run=True)
        result["dry_run_s"] = time.perf_counter() - started
        assert (report_.rows_ok, report_.rows_refused) == (rows, 0), report_.problems[:3]
        started = time.perf_counter()
        report_ = await import_members(deps, tenant, source, dry_run=False)
        result["staging_s"] = time.perf_counter() - started
        assert report_.job is not None and report_.job.total == rows
    result["read_mb"] = peak_rss_mb()
    started = time.perf_counter()
    while True:
        await run_bulk_jobs(deps, tenant, batch=batch)
        job = await deps.bulk_jobs.get("bench", report_.job.id)
        assert job is not None
        if job.finished:
            break
    result["worker_s"] = time.perf_counter() - started
    assert (job.done, job.failed) == (rows, 0), job
    members = database.db["members"]
    migrated = await members.count_documents({"tenant": "bench", "wallet.balance": 150})
    assert migrated == rows, migrated
    if not database.is_memory:
        await database.client.drop_database(name)
    await database.close()
    return result | {"peak_mb": peak_rss_mb()}


COLUMNS: list[Column] = [
    ("   rows", "rows", "{:,}".format),
    ("file MB", "file_mb", "{:.1f}".format),
    ("dry run rows/s", "dry_run", "{:,.0f}".format),
    ("staging rows/s", "staging", "{:,.0f}".format),
    ("worker rows/s", "worker", "{:,.0f}".format),
    ("worker s", "worker_s", "{:.0f}".format),
    ("peak RSS reading MB", "read_mb", megabytes),
    ("peak RSS MB", "peak_mb", megabytes),
    ("dev store peak RSS MB", "store_mb", megabytes),
]


def main() -> None:
    run_sizes(__doc__ or "", "rows", "bench.import_members", measure, COLUMNS, _rates)


def _rates(row: dict[str, Any]) -> None:
    for phase in ("dry_run", "staging", "worker"):
        row[phase] = row["rows"] / row[f"{phase}_s"]


if __name__ == "__main__":
    main()
