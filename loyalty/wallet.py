"""The wallet: lots of points, and the pure operations that move them.

A wallet is a list of lots. Each lot remembers how many of its points remain, when they become
spendable (`available_at`: later than `earned_at` while an order's return window is open) and
when they expire. Balances are computed from the lots at a given moment, so a balance is never
stale because a job lagged. Every operation first *settles* the wallet (writes the RELEASE and
EXPIRE entries that came due) so that the ledger always equals the lots at the moment it was
written. Operations are pure: they take a state and return a new state plus ledger entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import count

from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import LedgerEntry, Reason, TransactionType

MAX_POINTS_PER_OPERATION = 100_000_000


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
class WalletState:
    """What the store holds. `balance`/`pending` are the ledger's figures as of `seq`."""

    seq: int = 0
    lots: tuple[Lot, ...] = ()
    balance: int = 0
    pending: int = 0
    lifetime_earned: int = 0
    recent_ops: tuple[str, ...] = ()


@dataclass(frozen=True)
class WalletView:
    """The wallet as the shopper sees it at one moment."""

    balance: int
    pending: int
    lifetime_earned: int


@dataclass(frozen=True)
class WalletChange:
    state: WalletState
    entries: tuple[LedgerEntry, ...]


def view(state: WalletState, now: datetime) -> WalletView:
    balance = sum(lot.remaining for lot in state.lots if lot.is_spendable(now))
    pending = sum(
        lot.remaining for lot in state.lots if lot.is_pending(now) and not lot.is_expired(now)
    )
    return WalletView(balance=balance, pending=pending, lifetime_earned=state.lifetime_earned)


def expiring(state: WalletState, now: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """Spendable or pending points expiring in (now, until], grouped by expiry moment."""
    groups: dict[datetime, int] = {}
    for lot in state.lots:
        if lot.remaining <= 0 or lot.expires_at is None:
            continue
        if now < lot.expires_at <= until:
            groups[lot.expires_at] = groups.get(lot.expires_at, 0) + lot.remaining
    return sorted(groups.items())


class _Builder:
    """Accumulates entries while an operation mutates a copy of the state."""

    def __init__(self, state: WalletState, op_id: str) -> None:
        self.state = state
        self.op_id = op_id
        self.lots = list(state.lots)
        self.balance = state.balance
        self.pending = state.pending
        self.lifetime = state.lifetime_earned
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
    ) -> None:
        self.balance += balance_delta
        self.pending += pending_delta
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
        )
        return WalletChange(state=state, entries=tuple(self.entries))


# How many recent operation ids a wallet remembers to recognise a retried write (a retry is
# also recognised by the operation's own idempotency record; this guards the crash window).
RECENT_OPS = 200


def _is_spent_out(lot: Lot) -> bool:
    # Fully used lots are dropped from the wallet document: the ledger keeps their story.
    return lot.remaining == 0 and lot.released


def settle(state: WalletState, now: datetime) -> WalletChange:
    """Write the RELEASE and EXPIRE entries that came due by `now`, oldest first."""
    builder = _Builder(state, op_id="settle")
    _settle_into(builder, now)
    return builder.build(record_op=False)


def _settle_into(builder: _Builder, now: datetime) -> None:
    events: list[tuple[datetime, int, str, int]] = []
    for index, lot in enumerate(builder.lots):
        if not lot.released and lot.available_at <= now:
            events.append((lot.available_at, 0, "release", index))
        if lot.expires_at is not None and lot.expires_at <= now and lot.remaining > 0:
            events.append((lot.expires_at, 1, "expire", index))
    for at, _, kind, index in sorted(events):
        lot = builder.lots[index]
        if kind == "release":
            builder.lots[index] = replace(lot, released=True)
            if lot.remaining > 0:
                builder.entry(
                    TransactionType.RELEASE,
                    points=lot.remaining,
                    balance_delta=lot.remaining,
                    pending_delta=-lot.remaining,
                    reason=Reason("reason.release", {"order_id": lot.order_id or ""}),
                    at=at,
                    order_id=lot.order_id,
                    lot_id=lot.id,
                    op_id=f"release:{lot.id}",
                )
        elif lot.remaining > 0:
            # A lot is always released before it can expire (see the sort key).
            builder.lots[index] = replace(lot, remaining=0)
            builder.entry(
                TransactionType.EXPIRE,
                points=-lot.remaining,
                balance_delta=-lot.remaining,
                pending_delta=0,
                reason=Reason("reason.expire", {"points": lot.remaining}),
                at=at,
                order_id=lot.order_id,
                lot_id=lot.id,
                op_id=f"expire:{lot.id}",
            )


def _check_points(points: int, field: tuple[str, ...]) -> None:
    if points <= 0 or points > MAX_POINTS_PER_OPERATION:
        raise DomainError(ErrorCode.INVALID_POINTS, field)


def earn(
    state: WalletState,
    now: datetime,
    *,
    op_id: str,
    points: int,
    type_: TransactionType,
    reason: Reason,
    earned_at: datetime,
    available_at: datetime,
    expires_at: datetime | None,
    order_id: str | None = None,
) -> WalletChange:
    """Add a lot. It is pending (a PENDING entry) while `available_at` is after `now`."""
    _check_points(points, ("input", "points"))
    builder = _Builder(state, op_id)
    _settle_into(builder, now)
    lot = Lot(
        id=f"{op_id}#{builder.state.seq + len(builder.entries) + 1}",
        points=points,
        remaining=points,
        earned_at=earned_at,
        available_at=available_at,
        expires_at=expires_at,
        released=available_at <= now,
        op_id=op_id,
        order_id=order_id,
    )
    builder.lots.append(lot)
    builder.lifetime += points
    if lot.released:
        builder.entry(
            type_,
            points=points,
            balance_delta=points,
            pending_delta=0,
            reason=reason,
            at=earned_at,
            order_id=order_id,
            lot_id=lot.id,
        )
    else:
        builder.entry(
            TransactionType.PENDING,
            points=points,
            balance_delta=0,
            pending_delta=points,
            reason=reason,
            at=earned_at,
            order_id=order_id,
            lot_id=lot.id,
        )
    # A back-dated lot may already be spendable or expired: settle it in the same write.
    _settle_into(builder, now)
    return builder.build()


def _spend_order(lot: Lot) -> tuple[int, datetime, datetime, str]:
    # Soonest expiry first; points that never expire are spent last.
    if lot.expires_at is None:
        return (1, lot.earned_at, lot.earned_at, lot.id)
    return (0, lot.expires_at, lot.earned_at, lot.id)


def spend(
    state: WalletState,
    now: datetime,
    *,
    op_id: str,
    points: int,
    type_: TransactionType,
    reason: Reason,
) -> WalletChange:
    """Take spendable points, soonest-expiring lots first. Never overdraws."""
    _check_points(points, ("input", "points"))
    builder = _Builder(state, op_id)
    _settle_into(builder, now)
    available = sum(lot.remaining for lot in builder.lots if lot.is_spendable(now))
    if available < points:
        raise DomainError(ErrorCode.INSUFFICIENT_POINTS, None, points=points, balance=available)
    _take(builder, now, points, _spendable_indexes(builder.lots, now))
    builder.entry(
        type_,
        points=-points,
        balance_delta=-points,
        pending_delta=0,
        reason=reason,
        at=now,
    )
    return builder.build()


def _spendable_indexes(lots: list[Lot], now: datetime) -> list[int]:
    indexes = [i for i, lot in enumerate(lots) if lot.is_spendable(now)]
    return sorted(indexes, key=lambda i: _spend_order(lots[i]))


def _take(builder: _Builder, now: datetime, wanted: int, indexes: Iterable[int]) -> int:
    taken = 0
    for index in indexes:
        if taken == wanted:
            break
        lot = builder.lots[index]
        part = min(lot.remaining, wanted - taken)
        builder.lots[index] = replace(lot, remaining=lot.remaining - part)
        taken += part
    return taken


def claw_back(
    state: WalletState,
    now: datetime,
    *,
    op_id: str,
    points: int,
    order_id: str,
    reason: Reason,
) -> WalletChange:
    """Take back points for a refund: the order's own lots first, then other pending points,
    then spendable points (soonest expiry first). Never below zero: what cannot be taken is
    recorded as the entry's shortfall."""
    if points < 0 or points > MAX_POINTS_PER_OPERATION:
        raise DomainError(ErrorCode.INVALID_POINTS, ("input", "points"))
    builder = _Builder(state, op_id)
    _settle_into(builder, now)
    lots = builder.lots
    live = [i for i, lot in enumerate(lots) if lot.remaining > 0 and not lot.is_expired(now)]
    own = [i for i in live if lots[i].order_id == order_id]
    own.sort(key=lambda i: (not lots[i].is_pending(now), _spend_order(lots[i])))
    other_pending = [i for i in live if i not in own and lots[i].is_pending(now)]
    other_pending.sort(key=lambda i: _spend_order(lots[i]))
    spendable = [i for i in live if i not in own and not lots[i].is_pending(now)]
    spendable.sort(key=lambda i: _spend_order(lots[i]))

    from_pending = 0
    from_balance = 0
    for index in [*own, *other_pending, *spendable]:
        wanted = points - from_pending - from_balance
        if wanted == 0:
            break
        lot = lots[index]
        part = min(lot.remaining, wanted)
        if lot.is_pending(now):
            from_pending += part
        else:
            from_balance += part
        lots[index] = replace(lot, remaining=lot.remaining - part)
    taken = from_pending + from_balance
    builder.entry(
        TransactionType.REFUND,
        points=-taken,
        balance_delta=-from_balance,
        pending_delta=-from_pending,
        reason=reason,
        at=now,
        order_id=order_id,
        shortfall=points - taken,
    )
    return builder.build()


def next_due(state: WalletState) -> datetime | None:
    """When this wallet next needs a RELEASE or EXPIRE entry written (None: never)."""
    moments = [lot.available_at for lot in state.lots if not lot.released]
    moments += [
        lot.expires_at for lot in state.lots if lot.expires_at is not None and lot.remaining > 0
    ]
    return min(moments, default=None)


def expiry_dates(state: WalletState) -> list[datetime]:
    """The distinct moments at which points still in the wallet expire, soonest first."""
    return sorted({lot.expires_at for lot in state.lots if lot.expires_at and lot.remaining > 0})
