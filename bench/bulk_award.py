"""awardPoints at scale: members credited per second by the bulk job worker, and peak RSS.

Run by hand: `.venv/bin/python bench/bulk_award.py [N ...]` (memory:// store), or with
LOYALTY_BENCH_MONGODB_URI=mongodb://... for a real server or a dev store. Seeds N members
directly, accepts one award for everyone, then runs the worker (batches of 500) until the job
is done, and checks every member was credited once. The worker streams the audience (one page
of members at a time, by _id up to the job's high-water mark), so the process's own memory
stays flat in N; on memory:// the store itself lives in this process and grows with N (its
share is shown as the RSS after seeding). Prints numbers; asserts only correctness."""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from datetime import UTC, datetime

from bson import ObjectId

from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.program import LocalizedText, Program
from loyalty.segments import Segment
from loyalty.tenants import Tenant
from loyalty.tiers import TierState
from loyalty.usecases.bulk_awards import award_points
from loyalty.usecases.bulk_jobs import run_bulk_jobs
from mongo.client import open_database
from mongo.indexes import ensure_indexes
from mongo.standing import tier_state_doc
from mongo.store import build_deps
from mongo.wallets import empty_wallet_doc

URI = os.environ.get("LOYALTY_BENCH_MONGODB_URI", "memory://")
SEED_BATCH = 5_000


class _NoEvents:
    def publish(self, tenant: str, member_id: str) -> None:
        return None


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def seed(db: object, size: int, joined: datetime) -> None:
    members = db["members"]  # type: ignore[index]
    for start in range(0, size, SEED_BATCH):
        docs = [
            {
                "_id": ObjectId(),
                "tenant": "bench",
                "external_id": f"m{i}",
                "locale": "en",
                "joined_at": joined,
                "referral_code": f"R{i:09d}",
                "wallet": empty_wallet_doc(),
                "tier_status": tier_state_doc(TierState()),
                "segment": Segment.NEW.value,
                "badges": [],
                "search_keys": [],
                "last_order_or_join_at": joined,
            }
            for i in range(start, min(start + SEED_BATCH, size))
        ]
        await members.insert_many(docs)


async def measure(size: int) -> tuple[float, float, float]:
    name = f"loyalty_bench_award_{size}"
    database = open_database(URI, name)
    await ensure_indexes(database.db, expire=False)
    clock = FrozenClock(datetime(2026, 1, 15, 12, tzinfo=UTC))
    deps = build_deps(database, clock, _NoEvents(), images=PillowImages())
    tenant = Tenant("bench", Program(LocalizedText(en="Bench"), "SAR", "en"), (), clock.now())
    await seed(database.db, size, clock.now())
    seeded_rss = rss_mb()
    job = await award_points(
        deps,
        tenant,
        segment=None,
        tier_id=None,
        external_ids=None,
        points=500,
        reason="Sorry for the outage",
        idempotency_key=f"bench-{size}",
    )
    started = time.perf_counter()
    while True:
        await run_bulk_jobs(deps, tenant)
        current = await deps.bulk_jobs.get("bench", job.id)
        assert current is not None
        if current.finished:
            break
    elapsed = time.perf_counter() - started
    assert (current.done, current.failed) == (size, 0), current
    credited = await database.db["members"].count_documents(
        {"tenant": "bench", "wallet.balance": 500}
    )
    assert credited == size, credited
    if not database.is_memory:
        await database.client.drop_database(name)
    await database.close()
    return size / elapsed, seeded_rss, rss_mb()


async def main(sizes: list[int]) -> None:
    print(f"store {URI.split('@')[-1]}")
    print("members   members/s   RSS after seeding MB   peak RSS MB")
    for size in sizes:
        rate, seeded, peak = await measure(size)
        print(f"{size:>7}   {rate:9.0f}   {seeded:20.0f}   {peak:11.0f}")


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]))
