"""How a leaderboard's costs grow with the number of ranked members (1k vs 100k).

Run by hand: `.venv/bin/python -m bench.leaderboard` (memory:// store) or with
LOYALTY_BENCH_MONGODB_URI=mongodb://... for a real server. Seeds N members and their all-time
counters (as the ledger writes keep them, mongo/leaderboard_counters.py), then measures:

- the read a member's app makes (top 10 plus the caller's own entry, for a member ranked
  last): database calls and milliseconds;
- one refresh of the tenant's boards: calls by collection (none reaches the ledger: the ranks
  come from the counters, one pass over the board's members) and milliseconds;
- one earning order's counter writes (one upsert per board, whatever N is).

Calls are counted by the fault harness's database wrapper (each awaited collection method or
cursor fetch is one call), so they are exact. Caution: mongomock (memory://) uses no indexes,
every find scans its collection, so on memory:// the milliseconds of the read grow linearly
with the snapshot's size; on a real MongoDB the same three calls walk the named indexes
tenant_board_snapshot_rank_position / _member and stay flat. Prints numbers; asserts little."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bson import ObjectId

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.leaderboards import LeaderboardPeriod
from loyalty.ledger import Reason, TransactionType
from loyalty.members import Member
from loyalty.usecases import members, tenants
from loyalty.usecases.leaderboards import read, refresh
from loyalty.wallet import earn
from mongo.client import Database, open_database
from mongo.indexes import ensure_indexes
from mongo.leaderboard_counters import counter_id
from mongo.store import build_deps
from tests.faults.store_faults import FaultPlan, FaultyDatabase

SIZES = (1_000, 100_000)
URI = os.environ.get("LOYALTY_BENCH_MONGODB_URI", "memory://")
READS = 20
CHUNK = 10_000


async def _seed(db: Any, size: int, now: datetime) -> list[str]:
    ids = [ObjectId() for _ in range(size)]
    for start in range(0, size, CHUNK):
        chunk = ids[start : start + CHUNK]
        await db["members"].insert_many(
            [
                {
                    "_id": oid,
                    "tenant": "bench",
                    "external_id": str(oid),
                    "referral_code": str(oid),
                    "display_name": f"Member {oid}",
                }
                for oid in chunk
            ]
        )
        await db["leaderboard_counters"].insert_many(
            [
                {
                    "_id": counter_id("bench", "ALL_TIME", str(oid)),
                    "tenant": "bench",
                    "board": "ALL_TIME",
                    "member_id": str(oid),
                    "score": size - (start + i),
                    "reached_at": now - timedelta(days=1),
                    "seq": 1,
                }
                for i, oid in enumerate(chunk)
            ]
        )
    return [str(oid) for oid in ids]


async def measure(size: int) -> dict[str, Any]:
    database = open_database(URI, f"loyalty_bench_lb_{size}")
    await ensure_indexes(database.db, expire=False)  # a frozen clock: see ensure_indexes
    clock = FrozenClock(datetime(2026, 1, 15, 12, tzinfo=UTC))
    plan = FaultPlan(enabled=False)
    counted_db = Database(database.client, FaultyDatabase(database.db, plan), database.is_memory)
    deps = build_deps(counted_db, clock, WalletBroker(), images=PillowImages())
    created = await tenants.create_tenant(
        deps, slug="bench", name="Bench", currency="SAR", default_locale="en"
    )
    tenant = created.tenant
    ids = await _seed(database.db, size, clock.now())
    last = Member(ids[-1], "bench", "last", "en", clock.now(), "CODE")

    async def counted(action: Callable[[], Awaitable[Any]]) -> tuple[Counter[str], float]:
        plan.calls.clear()
        plan.enabled = True
        started = time.perf_counter()
        try:
            await action()
        finally:
            plan.enabled = False
        return Counter(
            f"{c.collection}.{c.method}" for c in plan.calls
        ), time.perf_counter() - started

    refresh_calls, refresh_time = await counted(lambda: refresh(deps, tenant))
    read_calls, _ = await counted(lambda: read(deps, tenant, last, LeaderboardPeriod.ALL_TIME, 10))
    started = time.perf_counter()
    for _ in range(READS):
        board = await read(deps, tenant, last, LeaderboardPeriod.ALL_TIME, 10)
    read_time = (time.perf_counter() - started) / READS
    assert board.me is not None and board.me.rank == size and len(board.entries) == 10

    shopper = await members.enrol(deps, tenant, "shopper")
    now = clock.now()
    order = lambda state: earn(  # noqa: E731
        state,
        now,
        op_id="order-1",
        points=100,
        type_=TransactionType.EARN,
        reason=Reason("reason.order", {"order_id": "1"}),
        earned_at=now,
        available_at=now,
        expires_at=None,
        order_id="1",
    )
    write_calls, _ = await counted(
        lambda: deps.members.apply("bench", shopper.id, "order-1", order)
    )
    if not database.is_memory:
        await database.client.drop_database(f"loyalty_bench_lb_{size}")
    await database.close()
    return {
        "read_ms": read_time * 1000,
        "read_calls": sum(read_calls.values()),
        "refresh_ms": refresh_time * 1000,
        "refresh_calls": refresh_calls,
        "counter_writes": write_calls["leaderboard_counters.update_one"],
    }


async def main() -> None:
    print(f"store {URI.split('@')[-1]}")
    for size in SIZES:
        m = await measure(size)
        by_collection = Counter[str]()
        for name, calls in m["refresh_calls"].items():
            by_collection[name.split(".")[0]] += calls
        print(
            f"{size:>7} members: read {m['read_calls']} calls {m['read_ms']:8.2f} ms | "
            f"refresh {m['refresh_ms']:9.1f} ms, calls {dict(sorted(by_collection.items()))} "
            f"(ledger: {by_collection['ledger']}) | counter upserts per earning write: "
            f"{m['counter_writes']}"
        )


if __name__ == "__main__":
    asyncio.run(main())
