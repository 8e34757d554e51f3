"""How long `stats` takes on a large tenant. Run by hand; prints numbers, asserts nothing.

    .venv/bin/python bench/stats.py [members] [ledger_entries] [orders]

Documents are written straight into the store in the shapes the repositories write (a
benchmark of the aggregations, not of the write path), spread over one year; then the stats
use case and the day series are timed for the last 30 days and for the whole year.
Set LOYALTY_BENCH_MONGODB_URI to run against a real server (default: the memory store).

The memory store (mongomock) evaluates pipelines in pure Python and is far from the target
size: measured on the development container, 1k members / 10k entries / 2k orders took 1.7s
for stats and 0.9s for the day series; 10k / 100k / 20k took 115s and 65s. 100k members and
1M entries need a real server (LOYALTY_BENCH_MONGODB_URI); not measured yet.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from bson import ObjectId

from api.events import WalletBroker
from loyalty.analytics import Granularity, StatsRange
from loyalty.clock import FrozenClock
from loyalty.program import LocalizedText, Program
from loyalty.tenants import Tenant
from loyalty.usecases.stats import program_stats, stats_series
from mongo.client import open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps

NOW = datetime(2026, 6, 1, tzinfo=UTC)
YEAR = timedelta(days=365)
TYPES = ["PENDING", "EARN", "RELEASE", "REDEEM", "EXPIRE", "ADJUST"]


def moment(rng: random.Random) -> datetime:
    return NOW - YEAR * rng.random()


async def seed(db: object, members: int, entries: int, orders: int) -> None:
    rng = random.Random(6)
    ids = [str(ObjectId()) for _ in range(members)]
    batch = 20_000
    started = time.perf_counter()
    for first in range(0, members, batch):
        docs = [
            {
                "_id": ObjectId(ids[i]),
                "tenant": "bench",
                "external_id": f"c{i}",
                "referral_code": f"R{i}",
                "joined_at": moment(rng),
                "wallet": {"balance": rng.randint(0, 900), "pending": rng.randint(0, 90)},
                "segment": rng.choice(["CHAMPION", "LOYAL", "REGULAR", "AT_RISK", None]),
            }
            for i in range(first, min(first + batch, members))
        ]
        await db["members"].insert_many(docs)  # type: ignore[index]
    for first in range(0, entries, batch):
        docs = [
            {
                "_id": f"bench:{i}",
                "tenant": "bench",
                "member_id": rng.choice(ids),
                "seq": i,
                "type": (kind := rng.choice(TYPES)),
                "points": rng.randint(1, 200) * (-1 if kind in ("REDEEM", "EXPIRE") else 1),
                "created_at": moment(rng),
            }
            for i in range(first, min(first + batch, entries))
        ]
        await db["ledger"].insert_many(docs)  # type: ignore[index]
    for first in range(0, orders, batch):
        docs = [
            {
                "_id": f"bench:o{i}",
                "tenant": "bench",
                "order_id": f"o{i}",
                "member_id": rng.choice(ids),
                "placed_at": moment(rng),
                "total_minor": rng.randint(1_000, 100_000),
                "refunded_minor": 0,
            }
            for i in range(first, min(first + batch, orders))
        ]
        await db["orders"].insert_many(docs)  # type: ignore[index]
    took = time.perf_counter() - started
    print(f"seeded {members} members, {entries} ledger entries, {orders} orders in {took:.1f}s")


async def main(members: int, entries: int, orders: int) -> None:
    uri = os.environ.get("LOYALTY_BENCH_MONGODB_URI", "memory://")
    database = open_database(uri, f"loyalty_bench_{ObjectId()}")
    if not database.is_memory:
        # The memory store only uses indexes to enforce uniqueness, by scanning on every
        # insert: seeding would be quadratic. Its queries scan either way.
        await ensure_indexes(database.db, expire=False)  # a frozen clock: see ensure_indexes
    await seed(database.db, members, entries, orders)
    deps = build_deps(database, FrozenClock(NOW), WalletBroker())
    tenant = Tenant(
        slug="bench",
        program=Program(name=LocalizedText(en="Bench"), currency="SAR", default_locale="en"),
        member_keys=(),
        created_at=NOW,
    )
    for label, days in (("last 30 days", 30), ("last 365 days", 365)):
        start = NOW - timedelta(days=days)
        began = time.perf_counter()
        stats = await program_stats(deps, tenant, start=start, end=NOW, lifespan=None)
        figures = time.perf_counter() - began
        began = time.perf_counter()
        buckets = await stats_series(deps, tenant, StatsRange(start, NOW), Granularity.DAY)
        series = time.perf_counter() - began
        print(
            f"{label}: stats {figures:.2f}s (issued {stats.flow.issued}, orders "
            f"{stats.totals.orders}, active {stats.active_members}); "
            f"day series {series:.2f}s ({len(buckets)} buckets)"
        )
    if not database.is_memory:
        await database.client.drop_database(database.db.name)
    await database.close()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]] + [100_000, 1_000_000, 200_000][len(sys.argv) - 1 :]
    asyncio.run(main(*args[:3]))
