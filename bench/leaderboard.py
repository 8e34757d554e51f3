"""How a leaderboard's costs grow: the read with the ranked members (1k vs 100k), the refresh
with the ledger (the same members with 1 or 20 ledger entries each).

Run by hand: `.venv/bin/python -m bench.leaderboard` (memory:// store) or with
LOYALTY_BENCH_MONGODB_URI=mongodb://... for a real server. Measures:

- the read a member's app makes (top 10 plus the caller's own entry, for a member ranked
  last) on a snapshot of N members: database calls and milliseconds;
- one refresh of a tenant's boards from the counters (as the ledger writes keep them,
  mongo/leaderboard_counters.py) for 1k members whose ledger holds 1k or 20k entries: calls
  by collection (none reaches the ledger) and milliseconds. (On memory:// a refresh of 100k
  members is not run: mongomock matches `$in` by scanning, quadratic in the chunk size);
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
from loyalty.tenants import Tenant
from loyalty.usecases import members, tenants
from loyalty.usecases.leaderboards import read, refresh
from loyalty.wallet import earn
from mongo.client import Database, open_database
from mongo.indexes import ensure_indexes
from mongo.leaderboard_counters import counter_id
from mongo.store import build_deps
from tests.faults.store_faults import FaultPlan, FaultyDatabase

SIZES = (1_000, 100_000)
LEDGER_PER_MEMBER = (1, 20)
REFRESHED_MEMBERS = 1_000
URI = os.environ.get("LOYALTY_BENCH_MONGODB_URI", "memory://")
READS = 3
CHUNK = 10_000
NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


class Bench:
    """A database (indexes made after seeding: mongomock checks unique indexes by scanning) and
    deps whose calls are counted."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.database = open_database(URI, name)
        self.clock = FrozenClock(NOW)
        self.plan = FaultPlan(enabled=False)
        db = FaultyDatabase(self.database.db, self.plan)
        counted_db = Database(self.database.client, db, self.database.is_memory)
        self.deps = build_deps(counted_db, self.clock, WalletBroker(), images=PillowImages())

    async def start(self) -> Tenant:
        await ensure_indexes(self.database.db, expire=False)  # a frozen clock: see there
        created = await tenants.create_tenant(
            self.deps, slug="bench", name="Bench", currency="SAR", default_locale="en"
        )
        return created.tenant

    async def counted(self, action: Callable[[], Awaitable[Any]]) -> tuple[Counter[str], float]:
        self.plan.calls.clear()
        self.plan.enabled = True
        started = time.perf_counter()
        try:
            await action()
        finally:
            self.plan.enabled = False
        calls = Counter(c.collection for c in self.plan.calls)
        return calls, (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        if not self.database.is_memory:
            await self.database.client.drop_database(self.name)
        await self.database.close()


async def _insert(db: Any, name: str, docs: list[dict[str, Any]]) -> None:
    for start in range(0, len(docs), CHUNK):
        await db[name].insert_many(docs[start : start + CHUNK])


async def measure_read(size: int) -> tuple[int, float]:
    """Calls and ms per read of a snapshot of `size` ranked members."""
    bench = Bench(f"loyalty_bench_lb_read_{size}")
    tenant = await bench.start()
    ids = [str(ObjectId()) for _ in range(size)]
    rows = [
        {"rank": i + 1, "position": i + 1, "member_id": m, "name": f"M {i}", "score": size - i}
        for i, m in enumerate(ids)
    ]
    await bench.deps.leaderboards.publish("bench", "ALL_TIME", rows, NOW)
    me = Member(ids[-1], "bench", "last", "en", NOW, "CODE")
    period = LeaderboardPeriod.ALL_TIME
    calls, _ = await bench.counted(lambda: read(bench.deps, tenant, me, period, 10))
    started = time.perf_counter()
    for _ in range(READS):
        board = await read(bench.deps, tenant, me, period, 10)
    elapsed = (time.perf_counter() - started) / READS * 1000
    assert board.me is not None and board.me.rank == size and len(board.entries) == 10
    await bench.close()
    return sum(calls.values()), elapsed


async def measure_refresh(per_member: int) -> tuple[Counter[str], float]:
    """Calls by collection and ms of one refresh for REFRESHED_MEMBERS members whose ledger
    holds `per_member` earning entries each (counters seeded to match)."""
    bench = Bench(f"loyalty_bench_lb_refresh_{per_member}")
    oids = [ObjectId() for _ in range(REFRESHED_MEMBERS)]
    db = bench.database.db
    await _insert(
        db,
        "members",
        [
            {
                "_id": o,
                "tenant": "bench",
                "external_id": str(o),
                "referral_code": str(o),
                "display_name": f"Member {o}",
            }
            for o in oids
        ],
    )
    await _insert(
        db,
        "ledger",
        [
            {
                "_id": f"bench:{o}:{seq}",
                "tenant": "bench",
                "member_id": str(o),
                "seq": seq,
                "type": "EARN",
                "points": 10,
                "created_at": NOW - timedelta(days=seq),
            }
            for o in oids
            for seq in range(1, per_member + 1)
        ],
    )
    await _insert(
        db,
        "leaderboard_counters",
        [
            {
                "_id": counter_id("bench", "ALL_TIME", str(o)),
                "tenant": "bench",
                "board": "ALL_TIME",
                "member_id": str(o),
                "score": 10 * per_member + i,
                "reached_at": NOW - timedelta(days=1),
                "seq": per_member,
            }
            for i, o in enumerate(oids)
        ],
    )
    tenant = await bench.start()
    calls, elapsed = await bench.counted(lambda: refresh(bench.deps, tenant))
    await bench.close()
    return calls, elapsed


async def measure_write() -> int:
    """Counter upserts made by one earning order."""
    bench = Bench("loyalty_bench_lb_write")
    tenant = await bench.start()
    shopper = await members.enrol(bench.deps, tenant, "shopper")

    def order(state: Any) -> Any:
        return earn(
            state,
            NOW,
            op_id="order-1",
            points=100,
            type_=TransactionType.EARN,
            reason=Reason("reason.order", {"order_id": "1"}),
            earned_at=NOW,
            available_at=NOW,
            expires_at=None,
            order_id="1",
        )

    apply = bench.deps.members.apply
    calls, _ = await bench.counted(lambda: apply("bench", shopper.id, "order-1", order))
    await bench.close()
    return calls["leaderboard_counters"]


async def main() -> None:
    print(f"store {URI.split('@')[-1]}")
    for size in SIZES:
        calls, ms = await measure_read(size)
        print(f"read, {size:>7} ranked members: {calls} calls, {ms:8.2f} ms")
    for per_member in LEDGER_PER_MEMBER:
        by_collection, ms = await measure_refresh(per_member)
        entries = per_member * REFRESHED_MEMBERS
        print(
            f"refresh, {REFRESHED_MEMBERS} members, {entries:>6} ledger entries: {ms:8.1f} ms, "
            f"calls {dict(sorted(by_collection.items()))} (ledger: {by_collection['ledger']})"
        )
    print(f"counter upserts per earning write: {await measure_write()}")


if __name__ == "__main__":
    asyncio.run(main())
