"""The wallet repository: conditional writes, the journal, and settlement by the scheduler."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, cast

import pytest
from pymongo.errors import AutoReconnect

from api.scheduler import Scheduler
from loyalty.clock import FrozenClock
from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Deps
from loyalty.usecases import members, tenants
from loyalty.usecases.ledger_sync import sync_lagging_ledgers
from loyalty.wallet import earn, spend
from mongo.client import Database
from mongo.members import MongoMembers

WHY = Reason("reason.adjust", text="test")


async def _member(deps: Deps) -> tuple[str, str]:
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    member = await members.enrol(deps, created.tenant, "c1")
    return created.tenant.slug, member.id


async def _earn(deps: Deps, tenant: str, member_id: str, op: str, points: int) -> None:
    now = deps.clock.now()
    await deps.members.apply(
        tenant,
        member_id,
        op,
        lambda s: earn(
            s,
            deps.clock.now(),
            op_id=op,
            points=points,
            type_=TransactionType.ADJUST,
            reason=WHY,
            earned_at=now,
            available_at=now,
            expires_at=now + timedelta(days=30),
        ),
    )


async def test_an_operation_id_is_applied_once_even_when_retried(deps: Deps) -> None:
    # given
    tenant, member_id = await _member(deps)
    await _earn(deps, tenant, member_id, "op-1", 40)
    # when the same operation is applied again
    await _earn(deps, tenant, member_id, "op-1", 40)
    # then
    member = await deps.members.get(tenant, member_id)
    assert member is not None and member.wallet.balance == 40
    page = await deps.members.ledger_page(tenant, member_id, None, 10)
    assert [(e.seq, e.points) for e in page] == [(1, 40)]


async def test_concurrent_spends_never_overdraw(deps: Deps) -> None:
    # given 100 points
    tenant, member_id = await _member(deps)
    await _earn(deps, tenant, member_id, "op-1", 100)

    async def take(n: int) -> bool:
        try:
            await deps.members.apply(
                tenant,
                member_id,
                f"spend-{n}",
                lambda s: spend(
                    s,
                    deps.clock.now(),
                    op_id=f"spend-{n}",
                    points=30,
                    type_=TransactionType.REDEEM,
                    reason=WHY,
                ),
            )
        except Exception:
            return False
        return True

    # when 10 spends of 30 race
    results = await asyncio.gather(*(take(n) for n in range(10)))
    # then exactly three succeed and the ledger matches
    assert results.count(True) == 3
    member = await deps.members.get(tenant, member_id)
    assert member is not None and member.wallet.balance == 10
    page = await deps.members.ledger_page(tenant, member_id, None, 50)
    assert sum(e.balance_delta for e in page) == 10


class _LedgerDown:
    """A ledger collection whose inserts fail, as when the process dies between the wallet
    write and the ledger copy."""

    def __init__(self, ledger: Any) -> None:
        self._ledger = ledger

    async def insert_many(self, *args: Any, **kwargs: Any) -> Any:
        raise AutoReconnect("connection lost")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledger, name)


async def _crash_after_wallet_write(deps: Deps, tenant: str, member_id: str, op: str) -> None:
    members = cast(MongoMembers, deps.members)
    ledger = members._ledger
    members._ledger = _LedgerDown(ledger)
    try:
        with pytest.raises(AutoReconnect):
            await _earn(deps, tenant, member_id, op, 25)
    finally:
        members._ledger = ledger


async def test_a_crash_between_wallet_and_ledger_writes_is_repaired_from_the_journal(
    deps: Deps, database: Database
) -> None:
    # given a wallet change committed but its ledger copy lost (simulated crash)
    tenant, member_id = await _member(deps)
    await _crash_after_wallet_write(deps, tenant, member_id, "op-1")
    assert await database.db["ledger"].count_documents({"tenant": tenant}) == 0
    # when history is read
    page = await deps.members.ledger_page(tenant, member_id, None, 10)
    # then the entry is back, exactly once
    assert [(e.seq, e.op_id, e.points) for e in page] == [(1, "op-1", 25)]
    assert await database.db["ledger"].count_documents({"tenant": tenant}) == 1


async def test_a_synced_wallet_copies_nothing_on_later_writes_or_reads(
    deps: Deps, database: Database
) -> None:
    # given a wallet whose write reached the ledger
    tenant, member_id = await _member(deps)
    await _earn(deps, tenant, member_id, "op-1", 25)
    members = cast(MongoMembers, deps.members)
    ledger = members._ledger
    # when the ledger refuses inserts, a history read still works and the sweeper finds nothing
    members._ledger = _LedgerDown(ledger)
    try:
        page = await deps.members.ledger_page(tenant, member_id, None, 10)
        lagging = await deps.members.lagging_ledger_ids(tenant, 10)
    finally:
        members._ledger = ledger
    # then
    assert [(e.seq, e.points) for e in page] == [(1, 25)]
    assert lagging == []
    doc = await database.db["members"].find_one({"tenant": tenant})
    assert doc is not None
    assert (doc["wallet"]["synced_seq"], doc["wallet"]["journal"]) == (1, [])


async def test_the_ledger_sweeper_copies_a_journal_a_crash_left_behind(
    deps: Deps, database: Database
) -> None:
    # given a crash after the wallet write, and nobody touching the wallet afterwards
    tenant, member_id = await _member(deps)
    await _crash_after_wallet_write(deps, tenant, member_id, "op-1")
    assert await deps.members.lagging_ledger_ids(tenant, 10) == [member_id]
    # when the sweeper runs (twice: the second finds nothing to do)
    first = await sync_lagging_ledgers(deps, tenant)
    second = await sync_lagging_ledgers(deps, tenant)
    # then the ledger holds the entry once and the wallet is marked synced
    assert (first, second) == (1, 0)
    docs = await database.db["ledger"].find({"tenant": tenant}).to_list(None)
    assert [(d["seq"], d["op_id"], d["points"]) for d in docs] == [(1, "op-1", 25)]
    assert await deps.members.lagging_ledger_ids(tenant, 10) == []


async def test_a_retry_after_the_crash_is_recognised_and_completes_the_copy(
    deps: Deps, database: Database
) -> None:
    # given a crash after the wallet write of op-1
    tenant, member_id = await _member(deps)
    await _crash_after_wallet_write(deps, tenant, member_id, "op-1")
    # when the caller retries op-1
    await _earn(deps, tenant, member_id, "op-1", 25)
    # then it was applied once and the ledger is complete
    member = await deps.members.get(tenant, member_id)
    assert member is not None and member.wallet.balance == 25
    docs = await database.db["ledger"].find({"tenant": tenant}).to_list(None)
    assert [(d["seq"], d["op_id"]) for d in docs] == [(1, "op-1")]


async def test_the_scheduler_writes_expire_entries_once_even_with_two_instances(
    deps: Deps, database: Database, clock: FrozenClock
) -> None:
    # given 50 points expiring in 30 days
    tenant, member_id = await _member(deps)
    await _earn(deps, tenant, member_id, "op-1", 50)
    clock.advance(timedelta(days=31))
    first = Scheduler(database, deps, interval=60)
    second = Scheduler(database, deps, interval=60)
    # when two scheduler instances tick at once, then again
    done = await asyncio.gather(first.tick(), second.tick())
    again = await first.tick()
    # then one EXPIRE entry was written in total (the other instance found the lease taken,
    # or nothing left to do)
    assert sum(d.get("settle", 0) for d in done) == 1
    assert again["settle"] == 0
    page = await deps.members.ledger_page(tenant, member_id, None, 10)
    assert [(e.type, e.points, e.balance_after) for e in page] == [
        (TransactionType.EXPIRE, -50, 0),
        (TransactionType.ADJUST, 50, 50),
    ]
