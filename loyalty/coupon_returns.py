"""Giving a coupon's points back (cancelled, or expired unused): pure rules.

The points go back as new lots with the expiry of the lots they were taken from; a part whose
expiry has passed meanwhile gets RETURN_GRACE from now instead, so returned points are never
dead on arrival. The return is one ledger entry of type REDEEM with positive points: the
reversal of the redemption it undoes, so that redeemed totals count what members kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from loyalty.ledger import LedgerEntry, Reason, TransactionType
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


TAKEN = "taken"  # the REDEEM entry's reason parameter noting where its points came from


def note_taken(change: WalletChange, op_id: str, parts: Sequence[TakenPart]) -> WalletChange:
    """The spend's own entry, noting `parts` ("30@1800000000;20@-": points @ expiry seconds,
    `-` for never). It is written with the spend, so a retry that finds the spend applied
    reads the same note."""
    note = ";".join(
        f"{p.points}@{'-' if p.expires_at is None else int(p.expires_at.timestamp())}"
        for p in parts
    )
    entries = tuple(
        replace(entry, reason=replace(entry.reason, params={**entry.reason.params, TAKEN: note}))
        if entry.op_id == op_id and entry.type is TransactionType.REDEEM
        else entry
        for entry in change.entries
    )
    return WalletChange(state=change.state, entries=entries)


def parts_taken(entries: Sequence[LedgerEntry]) -> tuple[TakenPart, ...]:
    """What `note_taken` noted on a spend's entries; empty when nothing was noted."""
    for entry in entries:
        note = entry.reason.params.get(TAKEN)
        if entry.type is TransactionType.REDEEM and isinstance(note, str) and note:
            parts = []
            for item in note.split(";"):
                points, _, at = item.partition("@")
                expiry = None if at == "-" else datetime.fromtimestamp(int(at), tz=UTC)
                parts.append(TakenPart(int(points), expiry))
            return tuple(parts)
    return ()


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
