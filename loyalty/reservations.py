"""Points reservations: points held for a cart until its order captures them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from loyalty.lots import HeldPart


class ReservationStatus(StrEnum):
    HELD = "HELD"
    CAPTURED = "CAPTURED"
    RELEASED = "RELEASED"
    EXPIRED = "EXPIRED"


@dataclass(frozen=True)
class PointsReservation:
    """The record of a hold. The wallet is the truth about held points; this record finds the
    hold's member by id, remembers the order that captured it and what it was paid with
    (`parts`, for refunds). A HELD record past `expires_at` reads as EXPIRED: the wallet gave
    the points back at that moment, whether or not a job has written it yet."""

    id: str
    tenant: str
    member_id: str
    points: int
    discount: Decimal
    currency: str
    cart_total: Decimal
    status: ReservationStatus
    created_at: datetime
    expires_at: datetime
    parts: tuple[HeldPart, ...] = ()
    order_id: str | None = None
    settled_at: datetime | None = None

    def status_at(self, now: datetime) -> ReservationStatus:
        if self.status is ReservationStatus.HELD and self.expires_at <= now:
            return ReservationStatus.EXPIRED
        return self.status


def reservation_id(tenant: str, member_id: str, key: str) -> str:
    """Derived from the idempotency key: every attempt under one key holds under one id, so
    the wallet applies the hold at most once."""
    digest = hashlib.sha256(f"{tenant}\x1f{member_id}\x1f{key}".encode()).hexdigest()
    return "pr_" + digest[:24]
