"""awardPoints at scale: members credited per second by the bulk job worker, and peak RSS.

    .venv/bin/python -m bench.bulk_award [--members 10000 50000 100000] [--batch 500]
        [--uri mongodb://... | --devstore]

Each size runs in its own process: it seeds N members straight into the store (not timed),
accepts one award for everyone, runs the worker until the job is done, and checks that every
member holds the points once. The worker streams the audience (one cursor in member id order
up to the job's high-water mark, one page held at a time) and writes each page in a few round
trips, so the process's own memory is flat in N: compare the worker's peak at each size. On
memory:// the store lives in the process and grows with N (seeding shows its share), and it
scans whole collections per query, so keep N small there. With a real MongoDB the same script
runs 1,000,000 members: `--members 1000000 --uri mongodb://...`. Prints numbers; asserts only
correctness."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId

from bench.scale_runs import (
    Column,
    megabytes,
    peak_rss_mb,
    run_sizes,
)
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

SEED_BATCH = 5_000
POINTS = 500


class _NoEvents:
    def publish(self, tenant: str, member_id: str) -> None:
        return None


async def seed(db: Any, size: int, joined: datetime) -> None:
    members = db["members"]
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


async def measure(uri: str, size: int, batch: int) -> dict[str, Any]:
    name = f"loyalty_bench_award_{size}"
    database = open_database(uri, name)
    if not database.is_memory:
        await database.client.drop_database(name)  # a run stopped half way
    await ensure_indexes(database.db, expire=False)
    clock = FrozenClock(datetime(2026, 1, 15, 12, tzinfo=UTC))
    deps = build_deps(database, clock, _NoEvents(), images=PillowImages())
    tenant = Tenant("bench", Program(LocalizedText(en="Bench"), "SAR", "en"), (), clock.now())
    await seed(database.db, size, clock.now())
    seeded = peak_rss_mb()
    job = await award_points(
        deps,
        tenant,
        segment=None,
        tier_id=None,
        external_ids=None,
        points=POINTS,
        reason="Sorry for the outage",
        idempotency_key=f"bench-{size}",
    )
    started = time.perf_counter()
    while True:
        await run_bulk_jobs(deps, tenant, batch=batch)
        current = await deps.bulk_jobs.get("bench", job.id)
        assert current is not None
        if current.finished:
            break
    elapsed = time.perf_counter() - started
    assert (current.done, current.failed) == (size, 0), current
    members = database.db["members"]
    credited = await members.count_documents({"tenant": "bench", "wallet.balance": POINTS})
    assert credited == size, credited
    if not database.is_memory:
        await database.client.drop_database(name)
    await database.close()
    return {"members": size, "seconds": elapsed, "seeded_mb": seeded, "peak_mb": peak_rss_mb()}


COLUMNS: list[Column] = [
    ("  members", "members", "{:,}".format),
    ("seconds", "seconds", "{:.1f}".format),
    ("members/s", "rate", "{:,.0f}".format),
    ("RSS after seeding MB", "seeded_mb", megabytes),
    ("peak RSS MB", "peak_mb", megabytes),
    ("dev store peak RSS MB", "store_mb", megabytes),
]


def main() -> None:
    run_sizes(__doc__ or "", "members", "bench.bulk_award", measure, COLUMNS, _rate)


def _rate(row: dict[str, Any]) -> None:
    row["rate"] = row["members"] / row["seconds"]


if __name__ == "__main__":
    main()
