"""Ledger entries: every movement of points, in the order it was applied to the wallet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from loyalty.i18n.messages import translate_in
from loyalty.i18n.render import MessageContext


class TransactionType(StrEnum):
    EARN = "EARN"
    PENDING = "PENDING"
    RELEASE = "RELEASE"
    REDEEM = "REDEEM"
    EXPIRE = "EXPIRE"
    REFUND = "REFUND"
    ADJUST = "ADJUST"
    TRANSFER = "TRANSFER"
    # Gifting and charity (issue 12). Publicly all three read as TRANSFER (the contract's
    # value, which apps already ship), signed: see graphql_schema/wallet.py.
    TRANSFER_OUT = "TRANSFER_OUT"
    TRANSFER_IN = "TRANSFER_IN"
    DONATE = "DONATE"
    # Issue 12: balances carried over from another loyalty app, dated when first earned.
    MIGRATED = "MIGRATED"


@dataclass(frozen=True)
class Reason:
    """A reason is stored as a message key and parameters, and rendered in the reader's language.

    `text` carries a merchant's own words (adjustments) and wins over the key when present.
    """

    key: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    text: str | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """One movement. `points` is what the shopper sees (signed); the two deltas say where it went.

    Invariants kept by loyalty.wallet: sum(balance_delta) == spendable balance and
    sum(pending_delta) == pending balance, entry by entry (`balance_after`, `pending_after`).
    """

    seq: int
    op_id: str
    type: TransactionType
    points: int
    balance_delta: int
    pending_delta: int
    balance_after: int
    pending_after: int
    reason: Reason
    created_at: datetime
    order_id: str | None = None
    lot_id: str | None = None
    shortfall: int = 0


@dataclass(frozen=True)
class HistoryKey:
    """A position in a member's history as the shopper reads it: newest effective date first
    (`created_at`: when the points moved, an order's placedAt for its earning, a lot's release
    or expiry moment), then newest seq. A back-dated order lands among the entries of its
    date, not on top, and a page boundary stays put while entries are added."""

    at: datetime
    seq: int


def describe(
    reason: Reason,
    locale: str,
    context: MessageContext | None = None,
    *,
    kind: TransactionType | None = None,
) -> str:
    """The reason in the reader's language (history screens and the ledger export), with the
    merchant's word for points from `context`. Order points still in their return window are
    "قيد التأكيد", not earned: a PENDING entry reads `reason.order_pending`, whatever key it
    was stored with."""
    if reason.text:
        return reason.text
    key = reason.key
    if kind is TransactionType.PENDING and key == "reason.order":
        key = "reason.order_pending"
    params = dict(reason.params)
    # Names captured at write time in both languages (the reward, or the charity, may be
    # renamed later).
    for name in ("reward", "charity"):
        if f"{name}_ar" in params:
            first, second = (f"{name}_ar", f"{name}_en")
            if locale != "ar":
                first, second = second, first
            params[name] = params[first] or params[second]
    return translate_in(key, locale, context or MessageContext(), **params)
