"""Leaderboard counters kept with each ledger write equal a regrouping of the ledger from
scratch, whatever the sequence: earnings (spendable and pending), refunds, redemptions,
retries of the same operation, and crashes between the wallet write, the ledger copy and the
count; and each tenant's counters hold its own ledger only."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from loyalty.clock import FrozenClock
from loyalty.errors import DomainError
from loyalty.leaderboards import boards_at
from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Deps, WalletOperation
from loyalty.usecases import members, tenants
from loyalty.usecases.ledger_sync import sync_lagging_ledgers
from loyalty.wallet import claw_back, earn, spend
from mongo.client import Database
from mongo.codec import utc
from mongo.leaderboard_counters import EARNING_TYPES, LeaderboardCounters

Key = tuple[str, str]  # board, member
WHY = Reason("reason.adjust", text="test")
ZONES = {"acme": "Asia/Riyadh", "brew": "America/New_York"}


class Crash(Exception):
    pass


def earning(op: str, points: int, now: datetime, pending_days: int) -> WalletOperation:
    return lambda state: earn(
        state,
        now,
        op_id=op,
        points=points,
        type_=TransactionType.EARN,
        reason=WHY,
        earned_at=now,
        available_at=now + timedelta(days=pending_days),
        expires_at=now + timedelta(days=400),
        order_id=op,
    )


def refund(op: str, order: str, points: int, now: datetime) -> WalletOperation:
    return lambda state: claw_back(state, now, op_id=op, points=points, order_id=order, reason=WHY)


def redeem(op: str, points: int, now: datetime) -> WalletOperation:
    def operation(state: Any) -> Any:
        available = sum(lot.remaining for lot in state.lots if lot.available_at <= now)
        return spend(
            state,
            now,
            op_id=op,
            points=min(points, available) or 1,
            type_=TransactionType.REDEEM,
            reason=WHY,
        )

    return operation


async def recounted(deps: Deps, database: Database, tenant: str) -> dict[Key, tuple[int, Any]]:
    """The counters as a regrouping of the tenant's whole ledger would give them."""
    found = await deps.tenants.get(tenant)
    assert found is not None
    sums: dict[Key, list[Any]] = defaultdict(lambda: [0, None])
    async for doc in database.db["ledger"].find({"tenant": tenant}):
        if doc["type"] not in EARNING_TYPES:
            continue
        for board in boards_at(utc(doc["created_at"]), found.program.zone()):
            total = sums[(board, doc["member_id"])]
            total[0] += doc["points"]
            total[1] = max(total[1], doc["created_at"]) if total[1] else doc["created_at"]
    return {key: (value[0], value[1]) for key, value in sums.items()}


async def counted(database: Database, tenant: str) -> dict[Key, tuple[int, Any]]:
    rows = database.db["leaderboard_counters"].find({"tenant": tenant})
    return {(d["board"], d["member_id"]): (d["score"], d["reached_at"]) async for d in rows}


async def setup(deps: Deps) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for slug, zone in ZONES.items():
        created = await tenants.create_tenant(
            deps, slug=slug, name=slug, currency="SAR", default_locale="en"
        )
        await deps.tenants.save_program(slug, replace(created.tenant.program, timezone=zone))
        tenant = await deps.tenants.get(slug)
        assert tenant is not None
        ids[slug] = [(await members.enrol(deps, tenant, f"c{n}")).id for n in range(4)]
    return ids


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_counters_equal_the_ledger_regrouped_after_retries_refunds_and_crashes(
    deps: Deps, database: Database, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # given two tenants in different time zones, four members each
    ids = await setup(deps)
    rng = random.Random(seed)
    orders: dict[tuple[str, str], list[str]] = defaultdict(list)
    done: list[tuple[str, str, str, WalletOperation]] = []
    real_count = LeaderboardCounters.count
    crash: str | None = None

    async def count_or_crash(self: LeaderboardCounters, *args: Any) -> None:
        nonlocal crash
        if not args[2]:  # nothing to copy
            return await real_count(self, *args)
        when, crash = crash, None
        if when == "before":
            raise Crash  # the ledger copy landed, the count did not
        await real_count(self, *args)
        if when == "after":
            raise Crash  # counted, but the journal is not marked synced: counted again later

    monkeypatch.setattr(LeaderboardCounters, "count", count_or_crash)

    # when 150 random operations run over nine weeks (crossing weeks and months), some
    # retried with the same operation id, some crashing between the ledger copy and the count
    crashes = 0
    for step in range(150):
        clock.advance(timedelta(hours=rng.randint(1, 14)))
        now = clock.now()
        slug = rng.choice(list(ZONES))
        member_id = rng.choice(ids[slug])
        roll = rng.random()
        if roll < 0.15 and done:
            slug, member_id, op, operation = rng.choice(done)  # a retry, maybe much later
        elif roll < 0.55:
            op = f"order-{step}"
            operation = earning(op, rng.randint(1, 500), now, rng.choice([0, 0, 3]))
            orders[(slug, member_id)].append(op)
        elif roll < 0.75 and orders[(slug, member_id)]:
            order = rng.choice(orders[(slug, member_id)])
            op = f"refund-{step}"
            operation = refund(op, order, rng.randint(1, 300), now)
        else:
            op = f"redeem-{step}"
            operation = redeem(op, rng.randint(1, 200), now)
        crash = rng.choice([None] * 6 + ["before", "after"])
        try:
            await deps.members.apply(slug, member_id, op, operation)
        except Crash:
            crashes += 1
        except DomainError:  # a redemption the wallet cannot afford changes nothing
            continue
        done.append((slug, member_id, op, operation))
        if rng.random() < 0.1:
            await sync_lagging_ledgers(deps, slug)
    crash = None
    for slug in ZONES:
        await sync_lagging_ledgers(deps, slug)

    assert crashes > 5
    # then each tenant's counters are its ledger regrouped, board by board and member by member
    for slug in ZONES:
        expected = await recounted(deps, database, slug)
        assert len(expected) > 10
        assert await counted(database, slug) == expected
        assert {key[1] for key in expected} <= set(ids[slug])


async def random_orders(deps: Deps, clock: FrozenClock, ids: dict[str, list[str]], n: int) -> None:
    rng = random.Random(n)
    for _ in range(n):
        clock.advance(timedelta(hours=rng.randint(1, 30)))
        slug = rng.choice(list(ZONES))
        member_id = rng.choice(ids[slug])
        op = f"order-{clock.now().isoformat()}"
        points = rng.randint(1, 500)
        await deps.members.apply(slug, member_id, op, earning(op, points, clock.now(), 0))
        if rng.random() < 0.3:
            back = f"refund-{op}"
            operation = refund(back, op, rng.randint(1, points), clock.now())
            await deps.members.apply(slug, member_id, back, operation)


async def test_a_backfill_counts_the_ledger_written_before_counters_once(
    deps: Deps, database: Database, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a ledger written before counters existed, then orders counted as they come
    ids = await setup(deps)
    real_count = LeaderboardCounters.count

    async def not_yet(self: LeaderboardCounters, *args: Any) -> None:
        return None

    monkeypatch.setattr(LeaderboardCounters, "count", not_yet)
    await random_orders(deps, clock, ids, 40)
    monkeypatch.setattr(LeaderboardCounters, "count", real_count)
    await random_orders(deps, clock, ids, 20)
    # when each tenant's backfill runs (twice: the second finds its mark), then more orders
    for slug in ZONES:
        tenant = await deps.tenants.get(slug)
        assert tenant is not None
        written = await deps.leaderboards.backfill_counters(slug, tenant.program.zone())
        assert written > 0
        assert await deps.leaderboards.backfill_counters(slug, tenant.program.zone()) == 0
    await random_orders(deps, clock, ids, 20)
    # then the counters are the ledger regrouped
    for slug in ZONES:
        assert await counted(database, slug) == await recounted(deps, database, slug)
