"""When a wallet's own record proves an operation was never applied (a bulk job then skips the
ledger look-up for it), and when only the ledger can tell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletChange, WalletState
from loyalty.wallet import earn, settle
from loyalty.wallet_changes import RECENT_OPS, never_applied

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
WHY = Reason("reason.adjust", text="test")


def _credit(state: WalletState, op_id: str) -> WalletChange:
    return earn(
        state,
        NOW,
        op_id=op_id,
        points=5,
        type_=TransactionType.ADJUST,
        reason=WHY,
        earned_at=NOW,
        available_at=NOW,
        expires_at=NOW + timedelta(days=30),
    )


def _with_history(operations: int) -> WalletState:
    state = WalletState()
    for n in range(operations):
        state = _credit(state, f"op-{n}").state
    return state


def test_a_wallet_that_never_forgot_an_operation_id_proves_a_new_one_absent() -> None:
    # given a wallet with one operation fewer than it remembers
    state = _with_history(RECENT_OPS - 1)
    # then a new operation was never applied, and one it remembers was
    assert never_applied(state, "bulk:job", _credit(state, "bulk:job")) is True
    assert never_applied(state, "op-0", _credit(state, "op-0")) is False


def test_a_wallet_that_may_have_forgotten_ids_proves_nothing() -> None:
    # given a wallet whose list of recent ids is full: older ids may have been cut from it
    state = _with_history(RECENT_OPS)
    assert len(state.recent_ops) == RECENT_OPS
    # then only the ledger can tell, even for an id it does not list
    assert never_applied(state, "bulk:job", _credit(state, "bulk:job")) is False


def test_an_operation_that_does_not_record_its_id_proves_nothing() -> None:
    # given an empty wallet and settlement, which never records its id
    state = WalletState()
    # then its absence from the list says nothing
    assert never_applied(state, "settle", settle(state, NOW)) is False
