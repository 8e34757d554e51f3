"""Referrals: a new member links to the member whose code they entered; both sides are paid
once the referee's first order is past its return window without being refunded in full."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from loyalty.members import CODE_ALPHABET
from loyalty.orders import Order

MAX_CODE = 32


class ReferralStatus(StrEnum):
    LINKED = "LINKED"  # no order yet
    PENDING = "PENDING"  # first order recorded, inside its return window
    REWARDED = "REWARDED"
    VOID = "VOID"  # the first order was refunded in full within the window: no reward


@dataclass(frozen=True)
class Referral:
    tenant: str
    referee_id: str
    referrer_id: str
    linked_at: datetime
    status: ReferralStatus = ReferralStatus.LINKED
    first_order_id: str | None = None
    due_at: datetime | None = None  # the first order's return window ends
    settled_at: datetime | None = None


def normalize_code(code: str) -> str | None:
    """Codes are typed on phones: spaces and case do not matter. None when it cannot be one."""
    clean = "".join(code.split()).upper()
    if not clean or len(clean) > MAX_CODE or any(ch not in CODE_ALPHABET for ch in clean):
        return None
    return clean


def kept_through_window(order: Order, due_at: datetime) -> bool:
    """False when refunds made by the end of the return window add up to the whole order
    (a refund after the window does not take the reward back)."""
    refunded = sum((r.amount for r in order.refunds if r.at <= due_at), Decimal(0))
    return refunded < order.total
