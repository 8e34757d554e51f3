"""Builds one wallet change: a copy of the lots, and the ledger entries that describe it, each
entry carrying the balances right after it."""

from __future__ import annotations

from datetime import datetime
from itertools import count

from loyalty.ledger import LedgerEntry, Reason, TransactionType
from loyalty.lots import Lot, WalletChange, WalletState


class ChangeBuilder:
    """Accumulates entries while an operation mutates a copy of the state."""

    def __init__(self, state: WalletState, op_id: str) -> None:
        self.state = state
        self.op_id = op_id
        self.lots = list(state.lots)
        self.balance = state.balance
        self.pending = state.pending
        self.lifetime = state.lifetime_earned
        self.holds = list(state.holds)
        self.held = state.held
        self.entries: list[LedgerEntry] = []
        self._seq = count(state.seq + 1)

    def entry(
        self,
        type_: TransactionType,
        *,
        points: int,
        balance_delta: int,
        pending_delta: int,
        reason: Reason,
        at: datetime,
        order_id: str | None = None,
        lot_id: str | None = None,
        op_id: str | None = None,
        shortfall: int = 0,
        held_delta: int = 0,
    ) -> None:
        self.balance += balance_delta
        self.pending += pending_delta
        self.held += held_delta
        self.entries.append(
            LedgerEntry(
                seq=next(self._seq),
                op_id=op_id or self.op_id,
                type=type_,
                points=points,
                balance_delta=balance_delta,
                pending_delta=pending_delta,
                balance_after=self.balance,
                pending_after=self.pending,
                reason=reason,
                created_at=at,
                order_id=order_id,
                lot_id=lot_id,
                shortfall=shortfall,
                held_delta=held_delta,
                held_after=self.held,
            )
        )

    def build(self, *, record_op: bool = True) -> WalletChange:
        recent = self.state.recent_ops
        if record_op and self.entries:
            recent = (*recent, self.op_id)[-RECENT_OPS:]
        state = WalletState(
            seq=self.state.seq + len(self.entries),
            lots=tuple(lot for lot in self.lots if not _is_spent_out(lot)),
            balance=self.balance,
            pending=self.pending,
            lifetime_earned=self.lifetime,
            recent_ops=recent,
            holds=tuple(self.holds),
            held=self.held,
        )
        return WalletChange(state=state, entries=tuple(self.entries))


# How many recent operation ids a wallet remembers: a fast path only. A retry of any age is
# recognised durably by the ledger's operation index (see mongo/members.py).
RECENT_OPS = 200


def never_applied(before: WalletState, op_id: str, change: WalletChange) -> bool:
    """Whether the wallet provably never had `op_id` applied, without asking the ledger: the
    operation records its id (`change` lists it), the wallet's list never reached RECENT_OPS
    (so nothing was ever cut from it: it holds every recorded operation since the wallet
    began) and the id is not in it. Otherwise only the ledger's operation index can tell."""
    recent = before.recent_ops
    return op_id in change.state.recent_ops and op_id not in recent and len(recent) < RECENT_OPS


def _is_spent_out(lot: Lot) -> bool:
    # Fully used lots are dropped from the wallet document: the ledger keeps their story. A
    # pending lot clawed back to nothing goes too: it has nothing left to release, and keeping
    # it would leave the wallet due for a release that writes nothing, forever.
    return lot.remaining == 0
