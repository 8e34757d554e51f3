"""importMembers at scale: rows per second checked (dry run) and staged (real run), then
members per second migrated by the worker, with peak RSS.

Run by hand: `.venv/bin/python bench/import_members.py [ROWS] [MIGRATE]` (memory:// store),
or with LOYALTY_BENCH_MONGODB_URI=mongodb://... for a real server or a dev store. Writes a
CSV of ROWS members (Arabic names, local phones, two lots each) to a temporary file, reads
it the way an upload is read (from the spooled file, line by line), and migrates the first
MIGRATE rows' worth of the job. Prints numbers; asserts only correctness."""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from typing import IO

from graphql_schema.uploads import UploadedText
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.program import LocalizedText, Program
from loyalty.tenants import Tenant
from loyalty.usecases.bulk_jobs import run_job
from loyalty.usecases.imports import import_members
from mongo.client import open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps

URI = os.environ.get("LOYALTY_BENCH_MONGODB_URI", "memory://")
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


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(file: IO[bytes], rows: int) -> None:
    file.write(b"\xef\xbb\xbf" + HEADER.encode())
    for i in range(rows):
        line = (
            f"c{i},سارة العتيبي {i},05{i % 100000000:08d},c{i}@example.com,1990-05-01,"
            f"2023-02-01,150,100,2025-06-01,2026-06-01,50,2025-12-01\r\n"
        )
        file.write(line.encode())
    file.flush()


async def main(rows: int, migrate: int) -> None:
    name = "loyalty_bench_import"
    database = open_database(URI, name)
    await ensure_indexes(database.db, expire=False)
    clock = FrozenClock(datetime(2026, 1, 15, 12, tzinfo=UTC))
    deps = build_deps(database, clock, _NoEvents(), images=PillowImages())
    tenant = Tenant("bench", Program(LocalizedText(en="Bench"), "SAR", "en"), (), clock.now())
    with tempfile.TemporaryFile() as file:
        write_csv(file, rows)
        size_mb = file.tell() / 1024 / 1024
        print(f"store {URI.split('@')[-1]}; file {rows} rows, {size_mb:.1f} MB")
        source = UploadedText(_Upload(file))
        started = time.perf_counter()
        report = await import_members(deps, tenant, source, dry_run=True)
        checked = time.perf_counter() - started
        assert (report.rows_ok, report.rows_refused) == (rows, 0), report.problems[:3]
        print(f"dry run: {rows / checked:9.0f} rows/s   peak RSS {rss_mb():5.0f} MB")
        started = time.perf_counter()
        report = await import_members(deps, tenant, source, dry_run=False)
        staged = time.perf_counter() - started
        assert report.job is not None and report.job.total == rows
        print(f"real run (staging): {rows / staged:9.0f} rows/s   peak RSS {rss_mb():5.0f} MB")
    started = time.perf_counter()
    await run_job(deps, tenant, report.job, max(migrate // 500, 1), min(migrate, 500))
    migrated = time.perf_counter() - started
    job = await deps.bulk_jobs.get("bench", report.job.id)
    assert job is not None and job.failed == 0
    rate = job.done / migrated
    print(f"worker: {rate:9.1f} members/s over {job.done}   peak RSS {rss_mb():5.0f} MB")
    if not database.is_memory:
        await database.client.drop_database(name)
    await database.close()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(args[0] if args else 100_000, args[1] if len(args) > 1 else 500))
