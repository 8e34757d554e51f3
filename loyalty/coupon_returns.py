"""Giving a coupon's points back (cancelled, or expired unused): pure rules.

The points go back as new lots with the expiry of the lots they were taken from; a part whose
expiry has passed meanwhile gets RETURN_GRACE from now instead, so returned points are never
dead on arrival. The return is one ledger entry of type REDEEM with positive points: the
reversal of the redemption it undoes, so that redeemed totals count what members kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from loyalty.ledger import Reason, TransactionType
from loyalty.lots import Lot, WalletChange, WalletState
from loyalty.rewards import TakenPart
from loyalty.wallet import settle
from loyalty.wallet_changes import ChangeBuilder

RETURN_GRACE = timedelta(days=30)


def taken_parts(before: WalletState, after: WalletState, now: datetime) -> tuple[TakenPart, ...]:
    """What a spend took from each lot, read from the lots before and after it. Lots that
    expired by `now` lost their points to the settlement inside the same change, not to the
    spend, so they are left out."""
    remaining_after = {lot.id: lot.remaining for lot in after.lots}
    parts: list[TakenPart] = []
    for lot in before.lots:
        if lot.is_expired(now):
            continue
        taken = lot.remaining - remaining_after.get(lot.id, 0)
        if taken > 0:
            parts.append(TakenPart(points=taken, expires_at=lot.expires_at))
    return tuple(parts)


def return_lots(
    parts: Sequence[TakenPart], now: datetime, grace: timedelta = RETURN_GRACE
) -> list[TakenPart]:
    """Parts grouped by the expiry they come back with, soonest first (never-expiring last)."""
    grouped: dict[datetime | None, int] = {}
    for part in parts:
        expiry = part.expires_at
        if expiry is not None and expiry <= now:
            expiry = now + grace
        grouped[expiry] = grouped.get(expiry, 0) + part.points
    order = sorted(grouped, key=lambda at: (at is None, at or now))
    return [TakenPart(points=grouped[at], expires_at=at) for at in order]


def give_back(
    state: WalletState,
    now: datetime,
    *,
    op_id: str,
    parts: Sequence[TakenPart],
    reason: Reason,
) -> WalletChange:
    """Adds one spendable lot per part, in one ledger entry. Lifetime earned is unchanged:
    these points were earned once already."""
    settled = settle(state, now)
    builder = ChangeBuilder(settled.state, op_id)
    total = 0
    for index, part in enumerate(parts, start=1):
        builder.lots.append(
            Lot(
                id=f"{op_id}#{index}",
                points=part.points,
                remaining=part.points,
                earned_at=now,
                available_at=now,
                expires_at=part.expires_at,
                released=True,
                op_id=op_id,
            )
        )
        total += part.points
    builder.entry(
        TransactionType.REDEEM,
        points=total,
        balance_delta=total,
        pending_delta=0,
        reason=reason,
        at=now,
    )
    mine = builder.build()
    return WalletChange(state=mine.state, entries=settled.entries + mine.entries)
