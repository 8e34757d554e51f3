"""Ledger entries: every movement of points, in the order it was applied to the wallet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class TransactionType(StrEnum):
    EARN = "EARN"
    PENDING = "PENDING"
    RELEASE = "RELEASE"
    REDEEM = "REDEEM"
    EXPIRE = "EXPIRE"
    REFUND = "REFUND"
    ADJUST = "ADJUST"
    TRANSFER = "TRANSFER"


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
