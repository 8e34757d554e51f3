"""Lots of points and what a wallet holds: balances, pending points and expiry are read from
the lots at a given moment, so a balance is never stale because a job lagged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from loyalty.ledger import LedgerEntry


@dataclass(frozen=True)
class Lot:
    id: str
    points: int
    remaining: int
    earned_at: datetime
    available_at: datetime
    expires_at: datetime | None
    released: bool
    op_id: str
    order_id: str | None = None

    def is_pending(self, now: datetime) -> bool:
        return self.available_at > now

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def is_spendable(self, now: datetime) -> bool:
        return self.remaining > 0 and not self.is_pending(now) and not self.is_expired(now)


@dataclass(frozen=True)
class HeldPart:
    """Points a hold took from one lot, with what the lot was, so that points given back (a
    released or expired hold, a refunded order) keep their lot's dates."""

    lot_id: str
    points: int
    earned_at: datetime
    expires_at: datetime | None
    order_id: str | None = None


@dataclass(frozen=True)
class Hold:
    """Points set aside for a cart (checkout with points): out of the spendable balance until
    an order captures them, the shopper releases them, or `expires_at` passes (then they are
    spendable again, on read, before any job writes the entry)."""

    id: str
    points: int
    expires_at: datetime
    parts: tuple[HeldPart, ...]

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at <= now


@dataclass(frozen=True)
class WalletState:
    """What the store holds. `balance`/`pending`/`held` are the ledger's figures as of `seq`."""

    seq: int = 0
    lots: tuple[Lot, ...] = ()
    balance: int = 0
    pending: int = 0
    lifetime_earned: int = 0
    recent_ops: tuple[str, ...] = ()
    holds: tuple[Hold, ...] = ()
    held: int = 0


@dataclass(frozen=True)
class WalletView:
    """The wallet as the shopper sees it at one moment."""

    balance: int
    pending: int
    lifetime_earned: int
    held: int = 0


@dataclass(frozen=True)
class WalletChange:
    state: WalletState
    entries: tuple[LedgerEntry, ...]


def _returned_parts(state: WalletState, now: datetime) -> list[HeldPart]:
    """Parts of holds that expired by `now`: back in the wallet, whether or not a job wrote it."""
    return [part for hold in state.holds if hold.is_expired(now) for part in hold.parts]


def view(state: WalletState, now: datetime) -> WalletView:
    balance = sum(lot.remaining for lot in state.lots if lot.is_spendable(now))
    balance += sum(
        part.points
        for part in _returned_parts(state, now)
        if part.expires_at is None or part.expires_at > now
    )
    pending = sum(
        lot.remaining for lot in state.lots if lot.is_pending(now) and not lot.is_expired(now)
    )
    held = sum(hold.points for hold in state.holds if not hold.is_expired(now))
    return WalletView(
        balance=balance, pending=pending, lifetime_earned=state.lifetime_earned, held=held
    )


def expiring(state: WalletState, now: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """Spendable or pending points expiring in (now, until], grouped by expiry moment."""
    return expiring_of(
        [(lot.expires_at, lot.remaining) for lot in state.lots], state.holds, now, until
    )


def expiring_of(
    lots: Iterable[tuple[datetime | None, int]],
    holds: Iterable[Hold],
    now: datetime,
    until: datetime,
) -> list[tuple[datetime, int]]:
    """`expiring` from the lots' (expiry, remaining points) alone: what a job reads of a
    wallet when it reads no more than that."""
    groups: dict[datetime, int] = {}
    for expires_at, points in lots:
        if points > 0 and expires_at is not None and now < expires_at <= until:
            groups[expires_at] = groups.get(expires_at, 0) + points
    for hold in holds:
        if hold.is_expired(now):  # back in the wallet, whether or not a job wrote it
            for part in hold.parts:
                moment = part.expires_at
                if part.points > 0 and moment is not None and now < moment <= until:
                    groups[moment] = groups.get(moment, 0) + part.points
    return sorted(groups.items())


def next_due(state: WalletState) -> datetime | None:
    """When this wallet next needs a RELEASE or EXPIRE entry written (None: never)."""
    moments = [lot.available_at for lot in state.lots if not lot.released]
    moments += [
        lot.expires_at for lot in state.lots if lot.expires_at is not None and lot.remaining > 0
    ]
    moments += [hold.expires_at for hold in state.holds]
    return min(moments, default=None)


def expiry_dates(state: WalletState) -> list[datetime]:
    """The distinct moments at which points still in the wallet expire, soonest first."""
    return sorted({lot.expires_at for lot in state.lots if lot.expires_at and lot.remaining > 0})
