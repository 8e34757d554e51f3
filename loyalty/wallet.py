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
from dataclasses import replace
from datetime import datetime

from loyalty.errors import DomainError, ErrorCode
from loyalty.held_parts import unhold
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import Lot, WalletChange, WalletState
from loyalty.wallet_changes import ChangeBuilder

MAX_POINTS_PER_OPERATION = 100_000_000


def settle(state: WalletState, now: datetime) -> WalletChange:
    """Write the RELEASE and EXPIRE entries that came due by `now`, oldest first."""
    builder = ChangeBuilder(state, op_id="settle")
    settle_into(builder, now)
    return builder.build(record_op=False)


def _release_reason(order_id: str | None) -> Reason:
    if order_id is None:  # a bonus or an adjustment with its own pending period
        return Reason("reason.release_bonus")
    return Reason("reason.release", {"order_id": order_id})


def _next_due(builder: ChangeBuilder, now: datetime) -> tuple[datetime, int, int] | None:
    """The earliest entry that came due: (moment, kind, index). Kinds at one moment: lot
    releases, then lot expiries, then hold expiries; older lots first."""
    due: list[tuple[datetime, int, int]] = []
    for index, lot in enumerate(builder.lots):
        if not lot.released and lot.available_at <= now:
            due.append((lot.available_at, _RELEASE, index))
        if lot.expires_at is not None and lot.expires_at <= now and lot.remaining > 0:
            due.append((lot.expires_at, _EXPIRE, index))
    for index, hold in enumerate(builder.holds):
        if hold.is_expired(now):
            due.append((hold.expires_at, _HOLD_EXPIRE, index))
    return min(due, default=None)


_RELEASE, _EXPIRE, _HOLD_EXPIRE = range(3)


def settle_into(builder: ChangeBuilder, now: datetime) -> None:
    # One event at a time: an expired hold gives lots back, and their own expiry comes after.
    while (event := _next_due(builder, now)) is not None:
        at, kind, index = event
        if kind == _HOLD_EXPIRE:
            hold = builder.holds[index]
            unhold(
                builder,
                index,
                at=at,
                reason=Reason("reason.hold_expired", {"points": hold.points}),
                op_id=f"hold-expire:{hold.id}",
            )
            continue
        lot = builder.lots[index]
        if kind == _RELEASE:
            builder.lots[index] = replace(lot, released=True)
            if lot.remaining > 0:
                builder.entry(
                    TransactionType.RELEASE,
                    points=lot.remaining,
                    balance_delta=lot.remaining,
                    pending_delta=-lot.remaining,
                    reason=_release_reason(lot.order_id),
                    at=at,
                    order_id=lot.order_id,
                    lot_id=lot.id,
                    op_id=f"release:{lot.id}",
                )
        else:
            # Releases sort first at one moment, so a lot still unreleased here expired while
            # pending: its points leave the pending figure, never the spendable balance.
            was_pending = not lot.released
            builder.lots[index] = replace(lot, remaining=0, released=True)
            builder.entry(
                TransactionType.EXPIRE,
                points=-lot.remaining,
                balance_delta=0 if was_pending else -lot.remaining,
                pending_delta=-lot.remaining if was_pending else 0,
                reason=Reason("reason.expire", {"points": lot.remaining}),
                at=at,
                order_id=lot.order_id,
                lot_id=lot.id,
                op_id=f"expire:{lot.id}",
            )


def check_points(points: int, field: tuple[str, ...]) -> None:
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
    check_points(points, ("input", "points"))
    builder = ChangeBuilder(state, op_id)
    settle_into(builder, now)
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
    settle_into(builder, now)
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
    check_points(points, ("input", "points"))
    builder = ChangeBuilder(state, op_id)
    settle_into(builder, now)
    available = sum(lot.remaining for lot in builder.lots if lot.is_spendable(now))
    if available < points:
        raise DomainError(ErrorCode.INSUFFICIENT_POINTS, None, points=points, balance=available)
    _take(builder, now, points, spendable_indexes(builder.lots, now))
    builder.entry(
        type_,
        points=-points,
        balance_delta=-points,
        pending_delta=0,
        reason=reason,
        at=now,
    )
    return builder.build()


def spendable_indexes(lots: list[Lot], now: datetime) -> list[int]:
    indexes = [i for i, lot in enumerate(lots) if lot.is_spendable(now)]
    return sorted(indexes, key=lambda i: _spend_order(lots[i]))


def _take(builder: ChangeBuilder, now: datetime, wanted: int, indexes: Iterable[int]) -> int:
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
    builder = ChangeBuilder(state, op_id)
    settle_into(builder, now)
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
