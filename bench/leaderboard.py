"""How the leaderboard query's cost grows with the number of ranked members.

Run by hand: `.venv/bin/python bench/leaderboard.py` (memory:// store) or with
LOYALTY_BENCH_MONGODB_URI=mongodb://... for a real server. Caution: mongomock (memory://)
does not use indexes, every find scans its collection, so on memory:// the read grows
linearly with the snapshot's size; on a real MongoDB the same read walks the named indexes
tenant_board_snapshot_rank_position / _member and should stay flat. Seeds one
snapshot of N ranked members directly, then times the read a member's app makes (top 10 plus
the caller's own entry, for a member ranked last). Prints numbers; asserts nothing."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime

from bson import ObjectId

from loyalty.clock import FrozenClock
from loyalty.leaderboards import LeaderboardPeriod
from loyalty.members import Member
from loyalty.program import LocalizedText, Program
from loyalty.tenants import Tenant
from loyalty.usecases.leaderboards import read
from mongo.client import open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps

SIZES = (1_000, 10_000, 100_000)
URI = os.environ.get("LOYALTY_BENCH_MONGODB_URI", "memory://")
READS = 50


class _NoEvents:
    def publish(self, tenant: str, member_id: str) -> None:
        return None


async def measure(size: int) -> float:
    database = open_database(URI, f"loyalty_bench_{size}")
    await ensure_indexes(database.db, expire=False)  # a frozen clock: see ensure_indexes
    clock = FrozenClock(datetime(2026, 1, 15, 12, tzinfo=UTC))
    deps = build_deps(database, clock, _NoEvents())
    tenant = Tenant("bench", Program(LocalizedText(en="Bench"), "SAR", "en"), (), clock.now())
    ids = [str(ObjectId()) for _ in range(size)]
    rows = [
        {
            "rank": i + 1,
            "position": i + 1,
            "member_id": member_id,
            "name": f"Member {i}",
            "score": size - i,
        }
        for i, member_id in enumerate(ids)
    ]
    await deps.leaderboards.publish("bench", "ALL_TIME", rows, clock.now())
    me = Member(ids[-1], "bench", "last", "en", clock.now(), "CODE")
    started = time.perf_counter()
    for _ in range(READS):
        board = await read(deps, tenant, me, LeaderboardPeriod.ALL_TIME, 10)
    elapsed = (time.perf_counter() - started) / READS
    assert board.me is not None and board.me.rank == size
    if not database.is_memory:
        await database.client.drop_database(f"loyalty_bench_{size}")
    await database.close()
    return elapsed


async def main() -> None:
    print(f"members   ms per leaderboard read (top 10 + own rank), store {URI.split('@')[-1]}")
    for size in SIZES:
        print(f"{size:>7}   {await measure(size) * 1000:8.2f}")


if __name__ == "__main__":
    asyncio.run(main())
