"""Orders as the loyalty program remembers them: what was paid, earned and refunded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from loyalty.earning import OrderLine
from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n.money import Money
from loyalty.program import LocalizedText


@dataclass(frozen=True)
class Refund:
    key: str
    amount: Decimal
    points: int
    at: datetime
    points_returned: int = 0  # of the points the order was paid with


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

    # Paid partly with points: the reservation its order captured, and how many points.
    points_reservation_id: str | None = None
    points_paid: int = 0
    # The earn campaigns that raised its points, names joined as its ledger reason shows
    # them (kept so that a retry credits with the reason the first attempt computed).
    campaigns: LocalizedText | None = None

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), Decimal(0))

    @property
    def clawed_points(self) -> int:
        return sum(r.points for r in self.refunds)

    @property
    def returned_points(self) -> int:
        return sum(r.points_returned for r in self.refunds)

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


def check_refund_amount(value: Decimal, refunded: Decimal, total: Decimal, currency: str) -> None:
    """A refund is positive and never takes back more than what is left of the order."""
    if value <= 0 or refunded + value > total:
        raise DomainError(
            ErrorCode.REFUND_EXCEEDS_ORDER, ("input", "amount"), total=Money(total, currency)
        )
