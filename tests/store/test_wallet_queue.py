"""Operations on one wallet arriving together are written together (mongo/wallet_queue.py), and
each still behaves as if it had run alone, one after the other."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletChange, WalletState
from loyalty.members import Member
from loyalty.ports import Applied, Deps, WalletOperation
from loyalty.usecases import members, tenants
from loyalty.wallet import earn, spend
from mongo.client import Database


async def _member(deps: Deps) -> Member:
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    return await members.enrol(deps, created.tenant, "c1")


def _credit(deps: Deps, op_id: str, points: int) -> WalletOperation:
    now = deps.clock.now()

    def operation(state: WalletState) -> WalletChange:
        return earn(
            state,
            now,
            op_id=op_id,
            points=points,
            type_=TransactionType.ADJUST,
            reason=Reason("reason.adjust"),
            earned_at=now,
            available_at=now,
            expires_at=None,
        )

    return operation


def _debit(deps: Deps, op_id: str, points: int) -> WalletOperation:
    def operation(state: WalletState) -> WalletChange:
        return spend(
            state,
            deps.clock.now(),
            op_id=op_id,
            points=points,
            type_=TransactionType.ADJUST,
            reason=Reason("reason.adjust"),
        )

    return operation


async def _types(database: Database) -> Counter[str]:
    docs = await database.db["ledger"].find({}).to_list(None)
    return Counter(doc["op_id"] for doc in docs)


async def test_the_same_operation_twice_at_once_is_applied_once_and_replayed_once(
    deps: Deps, database: Database
) -> None:
    # given a member
    member = await _member(deps)
    # when the same operation arrives twice at the same moment (a client retrying too soon)
    first, second = await asyncio.gather(
        *(deps.members.apply("acme", member.id, "op-1", _credit(deps, "op-1", 70)) for _ in "ab")
    )
    # then it was written once, and the other call is its replay with the same entries
    assert (first.replayed, second.replayed) == (False, True)
    assert second.entries == first.entries
    assert (await _types(database))["op-1"] == 1
    fresh = await deps.members.get("acme", member.id)
    assert fresh is not None and fresh.wallet.balance == 70


async def test_a_refused_operation_in_a_batch_changes_nothing_and_the_others_see_each_other(
    deps: Deps, database: Database
) -> None:
    # given a member
    member = await _member(deps)
    # when a credit, a debit too large for it, and a debit it covers arrive together
    outcomes = await asyncio.gather(
        deps.members.apply("acme", member.id, "credit", _credit(deps, "credit", 100)),
        deps.members.apply("acme", member.id, "too-much", _debit(deps, "too-much", 150)),
        deps.members.apply("acme", member.id, "debit", _debit(deps, "debit", 40)),
        return_exceptions=True,
    )
    # then the debit too large is refused alone, and the others ran in turn
    credit, refused, debit = outcomes
    assert isinstance(refused, DomainError) and refused.code is ErrorCode.INSUFFICIENT_POINTS
    assert isinstance(credit, Applied) and isinstance(debit, Applied)
    assert [e.balance_after for e in (*credit.entries, *debit.entries)] == [100, 60]
    assert await _types(database) == {"credit": 1, "debit": 1}


async def test_a_caller_that_gives_up_before_its_turn_is_not_applied(
    deps: Deps, database: Database
) -> None:
    # given a member, and a call that is cancelled before the wallet's worker takes it
    member = await _member(deps)
    call = asyncio.ensure_future(
        deps.members.apply("acme", member.id, "gone", _credit(deps, "gone", 10))
    )
    await asyncio.sleep(0)  # the call is queued
    call.cancel()
    # when another operation on the same wallet runs
    await deps.members.apply("acme", member.id, "kept", _credit(deps, "kept", 5))
    # then only that one was written
    with pytest.raises(asyncio.CancelledError):
        await call
    assert await _types(database) == {"kept": 1}
