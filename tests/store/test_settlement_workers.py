"""Two schedulers settling the same tenant at once (a lapsed lease): every RELEASE and EXPIRE
entry is written once, and each wallet equals its ledger, whatever the order of their steps."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from loyalty.clock import FrozenClock
from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Deps, WalletOperation
from loyalty.usecases import members, tenants
from loyalty.usecases.settlement import settle_due_wallets
from loyalty.wallet import earn
from mongo.client import Database
from mongo.members import MongoMembers
from tests.interleave import Gate, Paused, until_stopped

MEMBERS = 3
WHY = Reason("reason.adjust", text="test")


def lot(
    op: str, points: int, now: datetime, pending_days: int, expiry_days: int
) -> WalletOperation:
    return lambda state: earn(
        state,
        now,
        op_id=op,
        points=points,
        type_=TransactionType.ADJUST,
        reason=WHY,
        earned_at=now,
        available_at=now + timedelta(days=pending_days),
        expires_at=now + timedelta(days=expiry_days),
    )


async def wallets_coming_due(deps: Deps, clock: FrozenClock) -> list[str]:
    """Each member: 50 points expiring in 30 days, 70 pending for 10 days (expiring in 400)."""
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    now = clock.now()
    ids = []
    for number in range(MEMBERS):
        member = await members.enrol(deps, created.tenant, f"c{number}")
        await deps.members.apply("acme", member.id, "gift", lot("gift", 50, now, 0, 30))
        await deps.members.apply("acme", member.id, "order", lot("order", 70, now, 10, 400))
        ids.append(member.id)
    clock.advance(timedelta(days=31))
    return ids


async def assert_settled_once(deps: Deps, member_ids: list[str]) -> None:
    for member_id in member_ids:
        entries = sorted(
            await deps.members.ledger_page("acme", member_id, None, 100), key=lambda e: e.seq
        )
        settled = [(e.type, e.points) for e in entries if e.op_id not in ("gift", "order")]
        assert settled == [(TransactionType.RELEASE, 70), (TransactionType.EXPIRE, -50)]
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        member = await deps.members.get("acme", member_id)
        assert member is not None
        ledger = (sum(e.balance_delta for e in entries), sum(e.pending_delta for e in entries))
        assert (member.wallet.balance, member.wallet.pending) == ledger == (70, 0)
    assert await deps.members.due_wallets("acme", deps.clock.now(), 10, None) == []


@pytest.mark.parametrize(
    ("pause_at", "nth", "a_writes"),
    [
        ("due_wallets", 1, 0),  # A stops before it looks for due wallets
        ("apply", 1, 0),  # A found every wallet due, stops before settling the first
        ("apply", 2, 2),  # A settled the first wallet, stops before the second
    ],
)
async def test_two_workers_settle_each_wallet_once(
    deps: Deps, clock: FrozenClock, pause_at: str, nth: int, a_writes: int
) -> None:
    # given wallets with entries come due, and worker A stopped at a step of its run
    member_ids = await wallets_coming_due(deps, clock)
    gate = Gate()
    a_deps = replace(deps, members=Paused(deps.members, pause_at, gate, nth=nth))
    a = asyncio.create_task(settle_due_wallets(a_deps, "acme"))
    await until_stopped(a, gate)
    # when worker B settles the whole tenant, then A goes on
    b_writes = await settle_due_wallets(deps, "acme")
    gate.open()
    # then between them each entry was written once
    assert (await a, b_writes) == (a_writes, 2 * MEMBERS - a_writes)
    await assert_settled_once(deps, member_ids)


async def test_a_worker_whose_wallet_read_went_stale_writes_nothing(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given worker A read the first wallet, computed its settlement, and stopped before writing
    member_ids = await wallets_coming_due(deps, clock)
    gate = Gate()
    a_members = MongoMembers(database.db)
    a_members._c = Paused(a_members._c, "update_one", gate)
    a = asyncio.create_task(settle_due_wallets(replace(deps, members=a_members), "acme"))
    await until_stopped(a, gate)
    # when worker B settles the whole tenant, then A writes
    b_writes = await settle_due_wallets(deps, "acme")
    gate.open()
    # then A's write found the wallet changed, re-read it, and had nothing left to write
    assert (await a, b_writes) == (0, 2 * MEMBERS)
    await assert_settled_once(deps, member_ids)
