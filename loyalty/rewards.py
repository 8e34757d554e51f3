"""Rewards a member can redeem points for, and the coupons redemption issues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from loyalty.members import new_code
from loyalty.program import LocalizedText


class RewardKind(StrEnum):
    PERCENT_DISCOUNT = "PERCENT_DISCOUNT"
    AMOUNT_DISCOUNT = "AMOUNT_DISCOUNT"
    FREE_PRODUCT = "FREE_PRODUCT"
    FREE_SHIPPING = "FREE_SHIPPING"
    FREE_SERVICE = "FREE_SERVICE"


class RedemptionStatus(StrEnum):
    RESERVED = "RESERVED"  # written before points are taken; never usable at checkout
    ISSUED = "ISSUED"  # only ever set by whoever saw the points taken
    USED = "USED"
    FAILED = "FAILED"  # points were not taken (e.g. not enough): the coupon never existed
    CANCELLED = "CANCELLED"  # by its owner or the merchant: its points went back
    EXPIRED = "EXPIRED"  # unused past its expiry, and its points went back (program setting)


# A reservation may take its points only within TAKE_WINDOW of being (re)armed; the wallet write
# itself checks this. The sweeper looks at a reservation SWEEP_GRACE after it was armed, when no
# take can land any more, so what it finds in the ledger is final.
TAKE_WINDOW = timedelta(minutes=5)
SWEEP_GRACE = timedelta(minutes=15)


@dataclass(frozen=True)
class TakenPart:
    points: int
    expires_at: datetime | None


@dataclass(frozen=True)
class Reward:
    id: str
    name: LocalizedText
    description: LocalizedText
    cost: int
    kind: RewardKind
    value: Decimal | None
    min_tier_id: str | None
    active: bool
    coupon_valid_days: int | None
    created_at: datetime


@dataclass(frozen=True)
class Redemption:
    id: str
    tenant: str
    member_id: str
    reward_id: str
    reward_name: LocalizedText
    coupon_code: str
    points_spent: int
    status: RedemptionStatus
    created_at: datetime
    expires_at: datetime | None
    # The wallet operation id charging it: `redeem:{member}:{key}`, for every attempt.
    op_id: str
    attempt: int  # numbers the attempts under the key: a late writer names the one it saw
    reserved_at: datetime  # when the current attempt was armed (its take window opened)
    used_at: datetime | None = None
    used_order_id: str | None = None
    # When the sweeper is to check the ledger; None once the outcome is known for good.
    sweep_at: datetime | None = None
    # Set while the points of a CANCELLED or EXPIRED coupon may not be back yet; the coupon
    # job finishes what a crash left (the wallet operation id makes it happen once).
    return_at: datetime | None = None
    returned_at: datetime | None = None

    @property
    def take_deadline(self) -> datetime:
        return self.reserved_at + TAKE_WINDOW


def return_op_id(redemption: Redemption) -> str:
    """One wallet operation per coupon gives its points back, however often it is asked."""
    return f"coupon-return:{redemption.id}"


def coupon_code(tenant_slug: str) -> str:
    """`ACME-7K3M-Q9XP`: 40 bits of randomness, unique per tenant by index."""
    prefix = "".join(ch for ch in tenant_slug.upper() if ch.isalnum())[:6]
    return f"{prefix}-{new_code(4)}-{new_code(4)}"
