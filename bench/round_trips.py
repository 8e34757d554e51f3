"""Database calls per recordOrder for a member with a year of history (issue 20).

Sets up a program with tiers, segments, order-based badges and rewards, and a member with 72
orders over twelve months (four refunded), then records more orders: a normal one, one that
crosses into the next tier, a normal one after it, a retry, one that crosses into a tier with a
badge (bonus points), and a normal one with cold caches. Prints the calls each made, per
operation kind, and the total. Counting calls is not timing: the numbers are exact.

    .venv/bin/python -m bench.round_trips

On `memory://` the calls are counted by the fault harness's database wrapper (every awaited
collection method and every cursor fetch is one call). With LOYALTY_BENCH_MONGODB_URI set, a
real MongoDB is used and its commands are counted by a pymongo CommandListener instead (the
driver's own view: `getMore` would show there if a result needed more than one batch).

The program's caches (tenant, reward catalogue, badge definitions, earn campaigns) are warm,
as they are for any tenant taking orders; the cold line shows the first order after they
expired (one more call than before earn campaigns: their read)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from pymongo import AsyncMongoClient, monitoring

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from mongo.client import DRIVER_OPTIONS, Database, open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps
from tests.faults.store_faults import FaultPlan, FaultyDatabase
from tests.store.order_history import CROSSING_TOTAL, NORMAL_TOTAL, History, record, year_of_history

URI_VARIABLE = "LOYALTY_BENCH_MONGODB_URI"
# What the driver sends on its own (handshakes, monitoring, sessions), not the product's calls.
DRIVER_COMMANDS = frozenset({"hello", "ismaster", "isMaster", "ping", "endSessions", "saslStart"})


class Commands(monitoring.CommandListener):
    """Counts the commands a real server received while `enabled`."""

    def __init__(self) -> None:
        self.enabled = False
        self.counts: Counter[str] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.enabled and event.command_name not in DRIVER_COMMANDS:
            collection = event.command.get(event.command_name)
            where = collection if isinstance(collection, str) else "-"
            self.counts[f"{where}.{event.command_name}"] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


Counted = Callable[[Callable[[], Awaitable[Any]]], Awaitable[Counter[str]]]


async def _memory() -> tuple[Deps, FrozenClock, Counted]:
    database = open_database("memory://", "bench_round_trips")
    await ensure_indexes(database.db, expire=False)
    plan = FaultPlan(enabled=False)
    clock = FrozenClock()
    counted_db = Database(client=None, db=FaultyDatabase(database.db, plan), is_memory=True)
    deps = build_deps(counted_db, clock, WalletBroker(), images=PillowImages())

    async def counted(action: Callable[[], Awaitable[Any]]) -> Counter[str]:
        plan.calls.clear()
        plan.enabled = True
        try:
            await action()
        finally:
            plan.enabled = False
        return Counter(f"{call.collection}.{call.method}" for call in plan.calls)

    return deps, clock, counted


async def _real(uri: str) -> tuple[Deps, FrozenClock, Counted, Callable[[], Awaitable[None]]]:
    listener = Commands()
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        uri, event_listeners=[listener], **DRIVER_OPTIONS
    )
    name = f"loyalty_bench_{uuid.uuid4().hex[:8]}"
    database = Database(client=client, db=client[name], is_memory=False)
    await ensure_indexes(database.db, expire=False)
    clock = FrozenClock()
    deps = build_deps(database, clock, WalletBroker(), images=PillowImages())

    async def counted(action: Callable[[], Awaitable[Any]]) -> Counter[str]:
        listener.counts.clear()
        listener.enabled = True
        try:
            await action()
        finally:
            listener.enabled = False
        return Counter(listener.counts)

    async def drop() -> None:
        await client.drop_database(name)
        await client.close()

    return deps, clock, counted, drop


def _print(label: str, counts: Counter[str]) -> None:
    kinds = Counter[str]()
    for call, n in counts.items():
        kinds[call.split(".", 1)[1]] += n
    print(f"{label}: {sum(counts.values())} database calls")
    print("  by kind:       " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print("  by collection: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))


async def measure(deps: Deps, clock: FrozenClock, counted: Counted) -> dict[str, Counter[str]]:
    history: History = await year_of_history(deps, clock)
    tenant = history.tenant
    await warm(deps, tenant.slug)

    async def order(order_id: str, total: str) -> Counter[str]:
        return await counted(lambda: record(deps, tenant, order_id, total))

    results = {
        "recordOrder (normal)": await order("next-1", NORMAL_TOTAL),
        "recordOrder (crosses into gold)": await order("next-2", CROSSING_TOTAL),
        "recordOrder (normal, after the crossing)": await order("next-3", NORMAL_TOTAL),
        "recordOrder (retried: the same order again)": await order("next-3", NORMAL_TOTAL),
        "recordOrder (crosses into platinum, earns its badge and bonus)": await order(
            "next-4", CROSSING_TOTAL
        ),
    }
    clock.advance(timedelta(minutes=1))  # the reward and badge copies expire
    results["recordOrder (normal, caches cold)"] = await order("next-5", NORMAL_TOTAL)
    return results


async def warm(deps: Deps, slug: str) -> None:
    """What any tenant taking orders has in its caches."""
    await deps.badges.list(slug)
    await deps.rewards.list(slug, active_only=True)
    await deps.earn_campaigns.recent(slug)


async def main() -> None:
    uri = os.environ.get(URI_VARIABLE)
    if uri:
        deps, clock, counted, drop = await _real(uri)
        print(f"real MongoDB ({URI_VARIABLE}), commands seen by a CommandListener")
        try:
            results = await measure(deps, clock, counted)
        finally:
            await drop()
    else:
        deps, clock, counted = await _memory()
        print("memory:// store, calls counted by tests/faults/store_faults.py")
        results = await measure(deps, clock, counted)
    for label, counts in results.items():
        _print(label, counts)


if __name__ == "__main__":
    asyncio.run(main())
