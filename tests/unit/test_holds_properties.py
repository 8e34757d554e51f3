"""Checkout holds on the pure wallet, over random sequences of earn, reserve, capture, release,
time passing (holds and lots expiring) and refunds: the wallet equals its ledger after every
step, and no point is ever in two places (held twice, captured twice, returned twice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty.checkout import parts_to_return
from loyalty.errors import DomainError, ErrorCode
from loyalty.holds import HoldMissing, capture_hold, hold_points, release_hold, return_spent
from loyalty.ledger import LedgerEntry, Reason, TransactionType
from loyalty.lots import HeldPart, WalletChange, WalletState, view
from loyalty.wallet import earn, settle

T0 = datetime(2026, 1, 1, tzinfo=UTC)
HOLD_TIME = timedelta(minutes=30)


@dataclass
class Run:
    state: WalletState = field(default_factory=WalletState)
    now: datetime = T0
    entries: list[LedgerEntry] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)  # every hold id ever made
    captured: dict[str, tuple[HeldPart, ...]] = field(default_factory=dict)
    returned: dict[str, int] = field(default_factory=dict)
    earned: int = 0

    def apply(self, change: WalletChange) -> None:
        assert [e.seq for e in change.entries] == list(
            range(self.state.seq + 1, self.state.seq + 1 + len(change.entries))
        )
        self.state = change.state
        self.entries.extend(change.entries)

    def refused(self, operation: object) -> None:
        """The operation must refuse and leave the wallet exactly as it was."""
        before = self.state
        with pytest.raises((DomainError, HoldMissing)):
            assert callable(operation)
            operation()
        assert self.state == before


def check(run: Run) -> None:
    state, entries = run.state, run.entries
    # the wallet equals the ledger: every figure is the sum of its deltas, entry by entry
    assert sum(e.balance_delta for e in entries) == state.balance
    assert sum(e.pending_delta for e in entries) == state.pending
    assert sum(e.held_delta for e in entries) == state.held
    assert state.held == sum(hold.points for hold in state.holds)
    for before, entry in zip([None, *entries], entries, strict=False):
        balance = before.balance_after if before else 0
        assert entry.balance_after == balance + entry.balance_delta
    # what is read now is what settling now writes
    settled = settle(state, run.now).state
    seen = view(state, run.now)
    assert (seen.balance, seen.pending, seen.held) == (
        settled.balance,
        settled.pending,
        settled.held,
    )
    # every point is in one place: in a lot, held, spent by a capture, or expired
    in_lots = sum(lot.remaining for lot in state.lots)
    spent = sum(sum(p.points for p in parts) for parts in run.captured.values())
    expired = -sum(e.points for e in entries if e.type is TransactionType.EXPIRE)
    returned = sum(run.returned.values())
    assert in_lots + state.held + spent + expired == run.earned + returned
    # a hold is captured or given back once at most
    captures = [e for e in entries if e.type is TransactionType.CAPTURE]
    assert len(captures) == len(run.captured)
    assert all(
        run.returned.get(h, 0) <= sum(p.points for p in run.captured[h]) for h in run.captured
    )


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.integers(1, 500), st.sampled_from([None, 1, 40])),
        st.tuples(st.just("reserve"), st.integers(1, 600), st.just(None)),
        st.tuples(st.just("capture"), st.integers(0, 9), st.just(None)),
        st.tuples(st.just("release"), st.integers(0, 9), st.just(None)),
        st.tuples(st.just("wait"), st.integers(1, 60 * 24 * 3), st.just(None)),
        st.tuples(st.just("refund"), st.integers(0, 9), st.integers(1, 100)),
    ),
    max_size=40,
)


def step(run: Run, op: str, a: int, b: int | None) -> None:
    now = run.now
    if op == "earn":
        run.earned += a
        expires = None if b is None else now + timedelta(days=b)
        run.apply(
            earn(
                run.state,
                now,
                op_id=f"e{len(run.entries)}",
                points=a,
                type_=TransactionType.ADJUST,
                reason=Reason("reason.adjust", text="t"),
                earned_at=now,
                available_at=now,
                expires_at=expires,
            )
        )
    elif op == "reserve":
        hold_id = f"h{len(run.holds)}"
        if a > view(run.state, now).balance:
            run.refused(
                lambda: hold_points(
                    run.state, now, op_id=hold_id, hold_id=hold_id, points=a, expires_at=now
                )
            )
            return
        run.holds.append(hold_id)
        run.apply(
            hold_points(
                run.state, now, op_id=hold_id, hold_id=hold_id, points=a, expires_at=now + HOLD_TIME
            )
        )
    elif op in ("capture", "release") and run.holds:
        hold_id = run.holds[a % len(run.holds)]
        live = next((h for h in run.state.holds if h.id == hold_id), None)
        if live is None or live.is_expired(now):
            run.refused(
                lambda: capture_hold(run.state, now, op_id="c", hold_id=hold_id, order_id="o")
            )
            run.refused(lambda: release_hold(run.state, now, op_id="r", hold_id=hold_id))
            return
        if op == "capture":
            run.apply(
                capture_hold(run.state, now, op_id=f"c{hold_id}", hold_id=hold_id, order_id=hold_id)
            )
            run.captured[hold_id] = live.parts
        else:
            run.apply(release_hold(run.state, now, op_id=f"r{hold_id}", hold_id=hold_id))
    elif op == "wait":
        run.now = now + timedelta(minutes=a)
    elif op == "refund" and run.captured and b is not None:
        hold_id = sorted(run.captured)[a % len(run.captured)]
        parts = run.captured[hold_id]
        paid = sum(p.points for p in parts)
        already = run.returned.get(hold_id, 0)
        points = min(paid - already, paid * b // 100)
        back = parts_to_return(parts, already, points)
        assert sum(p.points for p in back) == points
        run.apply(
            return_spent(run.state, now, op_id=f"f{len(run.entries)}", parts=back, order_id=hold_id)
        )
        run.returned[hold_id] = already + points


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_wallet_equals_ledger_and_nothing_is_spent_twice(
    ops: list[tuple[str, int, int | None]],
) -> None:
    run = Run()
    for op, a, b in ops:
        step(run, op, a, b)
        check(run)
    # and in the end, once everything settled, no hold outlives its time
    run.now += timedelta(days=400)
    run.apply(settle(run.state, run.now))
    check(run)
    assert run.state.holds == () and run.state.held == 0


def test_two_holds_never_take_the_same_points() -> None:
    # given 100 points, and a hold of 80 written first
    state = earn(
        WalletState(),
        T0,
        op_id="e",
        points=100,
        type_=TransactionType.ADJUST,
        reason=Reason("reason.adjust", text="t"),
        earned_at=T0,
        available_at=T0,
        expires_at=None,
    ).state
    first = hold_points(state, T0, op_id="a", hold_id="a", points=80, expires_at=T0 + HOLD_TIME)
    # when a second hold of 80 is decided on the state the first one wrote
    # then it is refused: only 20 points are left to hold
    with pytest.raises(DomainError) as refused:
        hold_points(first.state, T0, op_id="b", hold_id="b", points=80, expires_at=T0 + HOLD_TIME)
    assert refused.value.code is ErrorCode.INSUFFICIENT_POINTS
    assert refused.value.params == {"points": 80, "balance": 20}


def test_points_come_back_with_their_lots_expiry_and_expire_on_time() -> None:
    # given 100 points expiring in 10 days, held, then released after 11 days would be too late
    state = earn(
        WalletState(),
        T0,
        op_id="e",
        points=100,
        type_=TransactionType.ADJUST,
        reason=Reason("reason.adjust", text="t"),
        earned_at=T0,
        available_at=T0,
        expires_at=T0 + timedelta(days=10),
    ).state
    held = hold_points(state, T0, op_id="h", hold_id="h", points=60, expires_at=T0 + HOLD_TIME)
    released = release_hold(held.state, T0 + timedelta(minutes=5), op_id="r", hold_id="h")
    # then the 60 points are back in a lot that still expires on day 10
    assert [(lot.remaining, lot.expires_at) for lot in released.state.lots] == [
        (40, T0 + timedelta(days=10)),
        (60, T0 + timedelta(days=10)),
    ]
    # and a hold that ends after its lot expired gives the points back already expired
    late = hold_points(
        state, T0, op_id="h", hold_id="h", points=60, expires_at=T0 + timedelta(days=11)
    )
    settled = settle(late.state, T0 + timedelta(days=12))
    assert [(e.type, e.points, e.created_at) for e in settled.entries] == [
        (TransactionType.EXPIRE, -40, T0 + timedelta(days=10)),
        (TransactionType.HOLD_RELEASE, 60, T0 + timedelta(days=11)),
        (TransactionType.EXPIRE, -60, T0 + timedelta(days=11)),
    ]
    assert settled.state.balance == 0 and settled.state.held == 0
