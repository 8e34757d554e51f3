"""A transfer a crash cut in two is repaired: eventually both wallets changed, or neither.

The process dies (here: the store call fails and nobody retries) between the sender's debit
and the recipient's credit, or before the debit; the transfer sweeper settles it from the
sender's ledger once its debit window has closed."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from pymongo.errors import AutoReconnect

from loyalty.clock import FrozenClock
from loyalty.errors import DomainError, ErrorCode
from loyalty.gifting import SWEEP_GRACE, TAKE_WINDOW
from loyalty.gifting_policy import GiftingPolicy
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import adjustments, members, tenants
from loyalty.usecases.transfer_sweep import sweep_transfers
from loyalty.usecases.transfers import transfer_points
from mongo.client import Database
from tests.interleave import Gate, Paused, until_stopped


class CrashOn:
    """The member repository, failing `apply` for operation ids with `prefix` (the call never
    reaches the server), as a process dying there would leave things."""

    def __init__(self, inner: Any, prefix: str) -> None:
        self._inner = inner
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def apply(self, tenant: str, member_id: str, op_id: str, *a: Any, **k: Any) -> Any:
        if op_id.startswith(self._prefix):
            raise AutoReconnect("connection lost")
        return await self._inner.apply(tenant, member_id, op_id, *a, **k)


async def _program(deps: Deps, cap: int | None = None) -> tuple[Tenant, Member, Member]:
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    program = replace(
        created.tenant.program, gifting=GiftingPolicy(transfers_enabled=True, daily_cap=cap)
    )
    await deps.tenants.save_program("acme", program)
    tenant = replace(created.tenant, program=program)
    alice = await members.enrol(deps, tenant, "alice")
    bob = await members.enrol(deps, tenant, "bob")
    await adjustments.adjust_points(
        deps, tenant, member_external_id="alice", points=100, reason="seed", idempotency_key="s"
    )
    return tenant, alice, bob


async def _balances(deps: Deps, *people: Member) -> list[int]:
    found = [await deps.members.get("acme", p.id) for p in people]
    return [m.wallet.balance for m in found if m is not None]


async def _status(database: Database) -> list[str]:
    docs = await database.db["transfers"].find({}).to_list(None)
    return [d["status"] for d in docs]


async def test_a_crash_between_debit_and_credit_is_completed_by_the_sweeper(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given alice's transfer dies after her debit, before bob's credit
    tenant, alice, bob = await _program(deps)
    crashing = replace(deps, members=CrashOn(deps.members, "transfer-in:"))
    with pytest.raises(AutoReconnect):
        await transfer_points(
            crashing, tenant, alice, to_external_id="bob", points=40, idempotency_key="t1"
        )
    assert await _balances(deps, alice, bob) == [60, 0]
    assert await _status(database) == ["PENDING"]
    # when the sweeper runs before the grace is over, then after
    assert await sweep_transfers(deps, tenant) == 0
    clock.advance(SWEEP_GRACE)
    settled = await sweep_transfers(deps, tenant)
    # then bob has his points, once, and the transfer is complete
    assert settled == 1
    assert await _balances(deps, alice, bob) == [60, 40]
    assert await _status(database) == ["COMPLETED"]
    assert await sweep_transfers(deps, tenant) == 0
    assert await _balances(deps, alice, bob) == [60, 40]


async def test_a_retry_after_the_crash_finishes_the_same_transfer(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given the same crash
    tenant, alice, bob = await _program(deps)
    crashing = replace(deps, members=CrashOn(deps.members, "transfer-in:"))
    with pytest.raises(AutoReconnect):
        await transfer_points(
            crashing, tenant, alice, to_external_id="bob", points=40, idempotency_key="t1"
        )
    # when the app retries with the same key, and later the sweeper passes
    done = await transfer_points(
        deps, tenant, alice, to_external_id="bob", points=40, idempotency_key="t1"
    )
    clock.advance(SWEEP_GRACE)
    await sweep_transfers(deps, tenant)
    # then each side was written once
    assert done.transfer.status.value == "COMPLETED"
    assert await _balances(deps, alice, bob) == [60, 40]


async def test_a_crash_before_the_debit_fails_the_transfer_and_frees_the_allowance(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a daily cap, and a transfer that dies before alice is debited
    tenant, alice, bob = await _program(deps, cap=50)
    crashing = replace(deps, members=CrashOn(deps.members, "transfer-out:"))
    with pytest.raises(AutoReconnect):
        await transfer_points(
            crashing, tenant, alice, to_external_id="bob", points=50, idempotency_key="t1"
        )
    # when the sweeper settles it
    clock.advance(SWEEP_GRACE)
    assert await sweep_transfers(deps, tenant) == 1
    # then neither wallet changed, and the day's allowance is whole again
    assert await _balances(deps, alice, bob) == [100, 0]
    assert await _status(database) == ["FAILED"]
    assert await deps.transfers.sent_on("acme", alice.id, "2026-01-15") == 0
    # and a retry with the key arms a new attempt that goes through
    done = await transfer_points(
        deps, tenant, alice, to_external_id="bob", points=50, idempotency_key="t1"
    )
    assert done.transfer.attempt == 2
    assert await _balances(deps, alice, bob) == [50, 50]


async def test_no_debit_lands_after_its_window_so_the_sweeper_reads_a_final_ledger(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a transfer paused just before alice's debit is written
    tenant, alice, bob = await _program(deps)
    gate = Gate()
    slow = replace(deps, members=Paused(deps.members, "apply", gate))
    task = asyncio.create_task(
        transfer_points(slow, tenant, alice, to_external_id="bob", points=40, idempotency_key="t")
    )
    await until_stopped(task, gate)
    # when its window closes, the sweeper fails it, and only then the debit is tried
    clock.advance(TAKE_WINDOW + SWEEP_GRACE)
    assert await sweep_transfers(deps, tenant) == 1
    gate.open()
    with pytest.raises(DomainError) as raised:
        await task
    # then the late debit was refused (the app may retry): neither wallet changed
    assert raised.value.code is ErrorCode.IN_PROGRESS
    assert await _balances(deps, alice, bob) == [100, 0]
    assert await _status(database) == ["FAILED"]
