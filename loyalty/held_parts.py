"""Giving held or spent points back to a wallet as lots that keep their first lot's dates: a
released or expired hold, or the share of a refunded order that was paid with points."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from loyalty.ledger import Reason, TransactionType
from loyalty.lots import HeldPart, Lot
from loyalty.wallet_changes import ChangeBuilder


def restore(builder: ChangeBuilder, parts: Iterable[HeldPart], *, at: datetime, tag: str) -> None:
    """Adds one spendable lot per part, after the caller wrote the entry that credits them. A
    part whose lot expired in the meantime comes back already expired: its EXPIRE entry is
    written at `at`, so the shopper sees the points return and go, never points that outlive
    their lot."""
    for index, part in enumerate(parts):
        if part.points <= 0:
            continue
        lot_id = f"{tag}#{builder.state.seq + len(builder.entries)}.{index}"
        if part.expires_at is not None and part.expires_at <= at:
            builder.entry(
                TransactionType.EXPIRE,
                points=-part.points,
                balance_delta=-part.points,
                pending_delta=0,
                reason=Reason("reason.expire", {"points": part.points}),
                at=at,
                order_id=part.order_id,
                lot_id=lot_id,
                op_id=f"expire:{lot_id}",
            )
            continue
        builder.lots.append(
            Lot(
                id=lot_id,
                points=part.points,
                remaining=part.points,
                earned_at=part.earned_at,
                available_at=part.earned_at,
                expires_at=part.expires_at,
                released=True,
                op_id=tag,
                order_id=part.order_id,
            )
        )


def unhold(builder: ChangeBuilder, index: int, *, at: datetime, reason: Reason, op_id: str) -> None:
    """Hands the hold at `index` back: HOLD_RELEASE from `held` to the balance, then its lots."""
    hold = builder.holds.pop(index)
    builder.entry(
        TransactionType.HOLD_RELEASE,
        points=hold.points,
        balance_delta=hold.points,
        pending_delta=0,
        held_delta=-hold.points,
        reason=reason,
        at=at,
        op_id=op_id,
    )
    restore(builder, hold.parts, at=at, tag=op_id)
