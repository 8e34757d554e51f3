"""Orders as the loyalty program remembers them: what was paid, earned and refunded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from loyalty.earning import OrderLine


@dataclass(frozen=True)
class Refund:
    key: str
    amount: Decimal
    points: int
    at: datetime


@dataclass(frozen=True)
class Order:
    tenant: str
    order_id: str
    member_id: str
    total: Decimal
    currency: str
    lines: tuple[OrderLine, ...]
    placed_at: datetime
    points: int
    pending: bool
    request_hash: str
    version: int = 0
    refunds: tuple[Refund, ...] = ()
    # When the return window starts, if not at placement: a store order earning on delivery.
    pending_from: datetime | None = None

    @property
    def window_start(self) -> datetime:
        return self.pending_from or self.placed_at

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), Decimal(0))

    @property
    def clawed_points(self) -> int:
        return sum(r.points for r in self.refunds)

    def refund_points(self, amount: Decimal) -> int:
        """Points to take back for refunding `amount` more. Computed on the cumulative refunded
        amount so that several partial refunds never take more than the order earned."""
        after = self.refunded + amount
        if after >= self.total:
            return self.points - self.clawed_points
        due = int(self.points * after / self.total)
        return max(due - self.clawed_points, 0)


@dataclass(frozen=True)
class LineSpend:
    category: str
    amount: Decimal  # unit price x quantity


@dataclass(frozen=True)
class PastOrder:
    """An order as the engagement rules read it (tier values, segments, VIP trial eligibility,
    badges): what was paid, earned and refunded, when; the categorised lines only when asked
    for (category-spend badges)."""

    total: Decimal
    placed_at: datetime
    points: int
    refunded: Decimal
    clawed_points: int
    lines: tuple[LineSpend, ...] = ()


def request_fingerprint(*parts: object) -> str:
    """Identifies a request's content so a reused key with different content is caught."""
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
