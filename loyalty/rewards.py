"""Rewards a member can redeem points for, and the coupons redemption issues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
    ISSUED = "ISSUED"
    USED = "USED"
    FAILED = "FAILED"  # points were not taken (e.g. not enough): the coupon never existed


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
    used_at: datetime | None = None
    used_order_id: str | None = None


def coupon_code(tenant_slug: str) -> str:
    """`ACME-7K3M-Q9XP`: 40 bits of randomness, unique per tenant by index."""
    prefix = "".join(ch for ch in tenant_slug.upper() if ch.isalnum())[:6]
    return f"{prefix}-{new_code(4)}-{new_code(4)}"
