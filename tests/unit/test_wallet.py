"""The wallet rules: lots, pending, expiry, FIFO spending, refunds, and the ledger invariant."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletChange, WalletState, expiring, next_due, view
from loyalty.wallet import claw_back, earn, settle, spend

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
WHY = Reason("reason.adjust", text="test")


def _earn(
    state: WalletState,
    now: datetime,
    op: str,
    points: int,
    *,
    pending_days: int = 0,
    expires_in: timedelta | None = None,
    order_id: str | None = None,
) -> WalletChange:
    return earn(
        state,
        now,
        op_id=op,
        points=points,
        type_=TransactionType.EARN,
        reason=WHY,
        earned_at=now,
        available_at=now + pending_days * DAY,
        expires_at=None if expires_in is None else now + expires_in,
        order_id=order_id,
    )


def _assert_ledger_matches(state: WalletState, entries: list[object], now: datetime) -> None:
    seen = view(state, now)
    assert state.balance == seen.balance
    assert state.pending == seen.pending
    assert sum(e.balance_delta for e in entries) == seen.balance  # type: ignore[attr-defined]
    assert sum(e.pending_delta for e in entries) == seen.pending  # type: ignore[attr-defined]


def test_order_points_are_pending_then_released_by_settlement() -> None:
    # given 150 points pending for 14 days
    change = _earn(WalletState(), T0, "order:1", 150, pending_days=14, order_id="1")
    # then
    assert [e.type for e in change.entries] == [TransactionType.PENDING]
    assert view(change.state, T0) == view(change.state, T0 + 13 * DAY)
    assert (view(change.state, T0).balance, view(change.state, T0).pending) == (0, 150)
    # when the window passes and the wallet is settled
    settled = settle(change.state, T0 + 14 * DAY)
    # then a RELEASE entry moves the points to the balance
    assert [(e.type, e.points, e.balance_after, e.pending_after) for e in settled.entries] == [
        (TransactionType.RELEASE, 150, 150, 0)
    ]
    assert settled.entries[0].created_at == T0 + 14 * DAY


def test_expired_points_leave_the_balance_at_read_time_and_settle_as_expire() -> None:
    # given 100 points expiring in 30 days
    state = _earn(WalletState(), T0, "a", 100, expires_in=30 * DAY).state
    # then the balance drops on read, before any job ran
    assert view(state, T0 + 29 * DAY).balance == 100
    assert view(state, T0 + 30 * DAY).balance == 0
    # and settling writes the EXPIRE entry once
    settled = settle(state, T0 + 31 * DAY)
    assert [(e.type, e.points, e.balance_after) for e in settled.entries] == [
        (TransactionType.EXPIRE, -100, 0)
    ]
    assert settle(settled.state, T0 + 40 * DAY).entries == ()


def test_spending_takes_the_soonest_expiring_lot_first() -> None:
    # given a lot expiring late, one that never expires, and one expiring soon
    state = _earn(WalletState(), T0, "late", 100, expires_in=300 * DAY).state
    state = _earn(state, T0, "never", 100).state
    state = _earn(state, T0, "soon", 100, expires_in=10 * DAY).state
    # when 150 are spent
    spent = spend(state, T0, op_id="r", points=150, type_=TransactionType.REDEEM, reason=WHY)
    # then the soon lot is emptied and the late one is used next; the never lot is untouched
    remaining = {lot.op_id: lot.remaining for lot in spent.state.lots}
    assert remaining == {"late": 50, "never": 100}
    assert expiring(spent.state, T0, T0 + 400 * DAY) == [(T0 + 300 * DAY, 50)]


def test_spending_more_than_the_balance_is_refused_without_change() -> None:
    # given 100 spendable and 50 pending
    state = _earn(WalletState(), T0, "a", 100).state
    state = _earn(state, T0, "b", 50, pending_days=14).state
    # when / then
    with pytest.raises(DomainError) as refused:
        spend(state, T0, op_id="r", points=101, type_=TransactionType.REDEEM, reason=WHY)
    assert refused.value.code is ErrorCode.INSUFFICIENT_POINTS
    assert refused.value.params == {"points": 101, "balance": 100}


def test_refund_takes_the_orders_own_pending_points_then_others_and_records_a_shortfall() -> None:
    # given an order's 100 pending points, another order's 30 pending, and 20 spendable
    state = _earn(WalletState(), T0, "o1", 100, pending_days=14, order_id="o1").state
    state = _earn(state, T0, "o2", 30, pending_days=14, order_id="o2").state
    state = _earn(state, T0, "gift", 20).state
    # when 160 points must be taken back for order o1
    change = claw_back(state, T0, op_id="refund:k", points=160, order_id="o1", reason=WHY)
    # then: 100 from o1, 30 pending from o2, 20 spendable, 10 could not be taken
    entry = change.entries[-1]
    assert (entry.type, entry.points, entry.balance_delta, entry.pending_delta) == (
        TransactionType.REFUND,
        -150,
        -20,
        -130,
    )
    assert entry.shortfall == 10
    assert (view(change.state, T0).balance, view(change.state, T0).pending) == (0, 0)


def test_a_back_dated_lot_past_its_window_is_earned_and_expired_in_the_same_write() -> None:
    # given an order placed 400 days ago with 14 pending days and 365-day expiry
    placed = T0 - 400 * DAY
    change = earn(
        WalletState(),
        T0,
        op_id="old",
        points=80,
        type_=TransactionType.EARN,
        reason=WHY,
        earned_at=placed,
        available_at=placed + 14 * DAY,
        expires_at=placed + 365 * DAY,
    )
    # then the ledger tells the whole story in order and the balance is zero
    assert [(e.type, e.points, e.balance_after, e.created_at) for e in change.entries] == [
        (TransactionType.EARN, 80, 80, placed),
        (TransactionType.EXPIRE, -80, 0, placed + 365 * DAY),
    ]
    assert change.state.lifetime_earned == 80


@pytest.mark.parametrize("seed", range(25))
def test_random_histories_keep_the_ledger_equal_to_the_lots(seed: int) -> None:
    # given a random mix of earning, spending, refunds and time passing
    rng = random.Random(seed)
    state = WalletState()
    entries: list[object] = []
    now = T0
    for step in range(60):
        now += timedelta(hours=rng.randint(0, 240))
        action = rng.choice(["earn", "earn", "spend", "refund", "settle"])
        try:
            if action == "earn":
                change = _earn(
                    state,
                    now,
                    f"e{step}",
                    rng.randint(1, 500),
                    pending_days=rng.choice([0, 14]),
                    expires_in=rng.choice([None, 60 * DAY, 365 * DAY]),
                    order_id=f"o{step}",
                )
            elif action == "spend":
                change = spend(
                    state,
                    now,
                    op_id=f"s{step}",
                    points=rng.randint(1, 400),
                    type_=TransactionType.REDEEM,
                    reason=WHY,
                )
            elif action == "refund":
                change = claw_back(
                    state,
                    now,
                    op_id=f"r{step}",
                    points=rng.randint(0, 300),
                    order_id=f"o{rng.randint(0, step)}",
                    reason=WHY,
                )
            else:
                change = settle(state, now)
        except DomainError as refused:
            assert refused.code is ErrorCode.INSUFFICIENT_POINTS
            continue
        state = change.state
        entries.extend(change.entries)
        # then after every write: no negative lot, and the ledger equals the lots
        assert all(lot.remaining >= 0 for lot in state.lots)
        assert state.balance >= 0 and state.pending >= 0
        _assert_ledger_matches(state, entries, now)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))  # type: ignore[attr-defined]


def test_a_pending_lot_refunded_in_full_leaves_nothing_due() -> None:
    # given 150 pending points whose order is refunded in full inside the return window
    earned = _earn(WalletState(), T0, "order:1", 150, pending_days=14, order_id="1")
    refunded = claw_back(
        earned.state, T0 + DAY, op_id="refund:1", points=150, order_id="1", reason=WHY
    )
    # then the empty lot is gone: nothing is left to release, so nothing is due
    assert refunded.state.lots == ()
    assert next_due(refunded.state) is None
    # and settling later writes nothing
    assert settle(refunded.state, T0 + 30 * DAY).entries == ()


def test_settling_a_stored_empty_unreleased_lot_drops_it_without_an_entry() -> None:
    # given a wallet stored before the fix: an unreleased lot with nothing left
    earned = _earn(WalletState(), T0, "order:1", 150, pending_days=14, order_id="1")
    lot = replace(earned.state.lots[0], remaining=0)
    stuck = replace(earned.state, lots=(lot,), pending=0)
    # when it is settled after the window
    settled = settle(stuck, T0 + 15 * DAY)
    # then no entry is written, the lot is dropped and the wallet is no longer due
    assert settled.entries == ()
    assert settled.state.lots == ()
    assert next_due(settled.state) is None


def test_a_lot_expiring_while_pending_leaves_pending_not_the_balance() -> None:
    # given 100 spendable points and 573 pending points that expire before their release
    spendable = _earn(WalletState(), T0, "adjust:1", 100)
    pending = _earn(
        spendable.state, T0, "order:1", 573, pending_days=30, expires_in=29 * DAY, order_id="1"
    )
    # when settlement runs after both moments
    settled = settle(pending.state, T0 + 31 * DAY)
    # then one EXPIRE entry takes the points out of pending; nothing is released
    assert [(e.type, e.points, e.balance_delta, e.pending_delta) for e in settled.entries] == [
        (TransactionType.EXPIRE, -573, 0, -573)
    ]
    assert (settled.state.balance, settled.state.pending) == (100, 0)
    entries = [*spendable.entries, *pending.entries, *settled.entries]
    _assert_ledger_matches(settled.state, entries, T0 + 31 * DAY)
    assert next_due(settled.state) is None
