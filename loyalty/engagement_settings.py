"""A program's engagement settings: how tiers qualify, the VIP trial offer, how RFM segments
are judged and what a referral pays. Plain values kept on the Program."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class TierMetric(StrEnum):
    POINTS = "POINTS"
    SPEND = "SPEND"
    ORDERS = "ORDERS"


class TierReset(StrEnum):
    ROLLING = "ROLLING"  # the last `window_months` (or all time)
    CALENDAR_YEAR = "CALENDAR_YEAR"  # since 1 January, in the program's time zone


@dataclass(frozen=True)
class TierPolicy:
    """Members qualify by `metric` summed over the last `window_months` (None = all time), or
    since 1 January with `reset` CALENDAR_YEAR. A member who falls below the tier's keep
    threshold keeps the tier for `grace_days` after a scheduled re-evaluation first notices,
    so one quiet month never flips them back and forth."""

    metric: TierMetric = TierMetric.SPEND
    window_months: int | None = 12
    grace_days: int = 30
    reset: TierReset = TierReset.ROLLING


@dataclass(frozen=True)
class VipTrialOffer:
    """Members with at least `min_orders` orders who have not had a trial in the last
    `cooldown_days` may claim `days` of `tier_id`."""

    tier_id: str
    days: int
    min_orders: int = 1
    cooldown_days: int = 365


@dataclass(frozen=True)
class SegmentPolicy:
    """RFM judged over `window_days` (a perfume store: months, a grocery: weeks). A member
    whose last order is older than `inactivity_days` is AT_RISK. `top_orders` and
    `top_spend` are what the best customers reach in the window."""

    window_days: int = 90
    inactivity_days: int = 60
    top_orders: int = 5
    top_spend: Decimal = Decimal(1000)


@dataclass(frozen=True)
class ReferralPolicy:
    """Points for each side once the referee's first order is past its return window."""

    referrer_points: int = 0
    referee_points: int = 0
