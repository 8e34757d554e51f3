"""Checkout with points, on the wallet: hold points for a cart, capture them for the order
that paid with them, or give them back (released, or expired after the hold's time).

Each is a pure operation on one wallet state, applied in one conditional update of the
member's document (mongo/members.py `apply`), so two concurrent holds can never take the same
points and every step writes its entry: wallet equals ledger, `held` included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from loyalty.errors import DomainError, ErrorCode
from loyalty.held_parts import restore, unhold
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import HeldPart, Hold, WalletChange, WalletState
from loyalty.wallet import check_points, settle_into, spendable_indexes
from loyalty.wallet_changes import ChangeBuilder


def hold_points(
    state: WalletState,
    now: datetime,
    *,
    op_id: str,
    hold_id: str,
    points: int,
    expires_at: datetime,
) -> WalletChange:
    """Sets `points` aside from the spendable balance, soonest-expiring lots first (as spending
    does). Never overdraws: INSUFFICIENT_POINTS changes nothing."""
    check_points(points, ("input", "points"))
    builder = ChangeBuilder(state, op_id)
    settle_into(builder, now)
    indexes = spendable_indexes(builder.lots, now)
    available = sum(builder.lots[i].remaining for i in indexes)
    if available < points:
        raise DomainError(
            ErrorCode.INSUFFICIENT_POINTS, ("input", "points"), points=points, balance=available
        )
    parts: list[HeldPart] = []
    for index in indexes:
        wanted = points - sum(part.points for part in parts)
        if wanted == 0:
            break
        lot = builder.lots[index]
        part = min(lot.remaining, wanted)
        builder.lots[index] = replace(lot, remaining=lot.remaining - part)
        parts.append(HeldPart(lot.id, part, lot.earned_at, lot.expires_at, lot.order_id))
    builder.holds.append(Hold(hold_id, points, expires_at, tuple(parts)))
    builder.entry(
        TransactionType.HOLD,
        points=-points,
        balance_delta=-points,
        pending_delta=0,
        held_delta=points,
        reason=Reason("reason.hold", {"points": points}),
        at=now,
    )
    return builder.build()


class HoldMissing(Exception):
    """The hold is no longer in the wallet: captured, released, or expired and settled. The
    reservation's record (or the ledger) tells which."""


def find_hold(state: WalletState, hold_id: str) -> Hold | None:
    return next((hold for hold in state.holds if hold.id == hold_id), None)


def _live_hold(builder: ChangeBuilder, hold_id: str, now: datetime) -> int:
    """The index of the hold, refused when it has expired (checked before settling, so the
    refusal names expiry, not absence) or is no longer there."""
    for index, hold in enumerate(builder.holds):
        if hold.id == hold_id:
            if hold.is_expired(now):
                raise DomainError(ErrorCode.RESERVATION_EXPIRED, ("reservationId",))
            return index
    raise HoldMissing(hold_id)


def capture_hold(
    state: WalletState, now: datetime, *, op_id: str, hold_id: str, order_id: str
) -> WalletChange:
    """The order paid with the held points: they leave `held` for good (the balance already
    lost them when they were held, so the entry shows 0 points)."""
    builder = ChangeBuilder(state, op_id)
    _live_hold(builder, hold_id, now)
    settle_into(builder, now)
    index = next(i for i, hold in enumerate(builder.holds) if hold.id == hold_id)
    hold = builder.holds.pop(index)
    builder.entry(
        TransactionType.CAPTURE,
        points=0,
        balance_delta=0,
        pending_delta=0,
        held_delta=-hold.points,
        reason=Reason("reason.capture", {"points": hold.points, "order_id": order_id}),
        at=now,
        order_id=order_id,
    )
    return builder.build()


def release_hold(state: WalletState, now: datetime, *, op_id: str, hold_id: str) -> WalletChange:
    """The shopper gave the cart up: the held points are spendable again, in their own lots."""
    builder = ChangeBuilder(state, op_id)
    _live_hold(builder, hold_id, now)
    settle_into(builder, now)
    index = next(i for i, hold in enumerate(builder.holds) if hold.id == hold_id)
    points = builder.holds[index].points
    unhold(
        builder,
        index,
        at=now,
        reason=Reason("reason.hold_released", {"points": points}),
        op_id=op_id,
    )
    return builder.build()


def return_spent(
    state: WalletState,
    now: datetime,
    *,
    op_id: str,
    parts: Sequence[HeldPart],
    order_id: str,
) -> WalletChange:
    """A refund gives back points an order was paid with: a REFUND entry crediting them, as
    lots with the spent lots' expiry."""
    points = sum(part.points for part in parts)
    builder = ChangeBuilder(state, op_id)
    settle_into(builder, now)
    if points > 0:
        builder.entry(
            TransactionType.REFUND,
            points=points,
            balance_delta=points,
            pending_delta=0,
            reason=Reason("reason.refund_points", {"points": points, "order_id": order_id}),
            at=now,
            order_id=order_id,
        )
        restore(builder, parts, at=now, tag=op_id)
    return builder.build()
