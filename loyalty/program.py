"""A merchant's loyalty program: how points are named, earned, valued and kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from loyalty.clock import add_months
from loyalty.engagement_settings import ReferralPolicy, SegmentPolicy, TierPolicy, VipTrialOffer
from loyalty.gifting_policy import GiftingPolicy


class ActivityType(StrEnum):
    SIGNUP = "SIGNUP"
    NEWSLETTER_SUBSCRIBE = "NEWSLETTER_SUBSCRIBE"
    PRODUCT_REVIEW = "PRODUCT_REVIEW"
    BIRTHDAY = "BIRTHDAY"
    SOCIAL_FOLLOW = "SOCIAL_FOLLOW"
    REFERRAL = "REFERRAL"
    CUSTOM = "CUSTOM"


class EarningRuleKind(StrEnum):
    CATEGORY = "CATEGORY"
    SKU = "SKU"
    ACTIVITY = "ACTIVITY"


class LimitPeriod(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    YEAR = "YEAR"
    LIFETIME = "LIFETIME"


@dataclass(frozen=True)
class LocalizedText:
    ar: str | None = None
    en: str | None = None

    def pick(self, locale: str, fallback: str | None = None) -> str | None:
        first, second = (self.ar, self.en) if locale == "ar" else (self.en, self.ar)
        return first or second or fallback


@dataclass(frozen=True)
class EarningRule:
    """One way to earn beyond the base rate.

    CATEGORY / SKU: order lines that match earn `multiplier` x the base rate on their subtotal,
    plus `bonus_points` per unit. ACTIVITY: `points` for each `activity`, at most `limit` times
    per `period` per member (`limit` None = no cap; the activity key already makes each
    occurrence count once).
    """

    id: str
    kind: EarningRuleKind
    name: LocalizedText = field(default_factory=LocalizedText)
    category: str | None = None
    sku: str | None = None
    multiplier: Decimal = Decimal(1)
    bonus_points: int = 0
    activity: ActivityType | None = None
    custom_activity: str | None = None
    points: int = 0
    limit: int | None = None
    period: LimitPeriod = LimitPeriod.LIFETIME
    active: bool = True


@dataclass(frozen=True)
class PointsName:
    """The merchant's name for its points per language and CLDR plural category."""

    ar: dict[str, str] = field(default_factory=dict)
    en: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Tier:
    id: str
    name: LocalizedText
    rank: int
    threshold: Decimal
    earn_multiplier: Decimal
    perks: tuple[LocalizedText, ...] = ()


BASE_TIER = Tier(
    id="base",
    name=LocalizedText(ar="أساسي", en="Member"),
    rank=0,
    threshold=Decimal(0),
    earn_multiplier=Decimal(1),
)


@dataclass(frozen=True)
class Program:
    name: LocalizedText
    currency: str
    default_locale: str
    timezone: str = "UTC"
    points_name: PointsName = field(default_factory=PointsName)
    earn_rate: Decimal = Decimal(1)
    point_value: Decimal = Decimal("0.01")
    expiry_months: int | None = 12
    pending_days: int = 14
    coupon_valid_days: int = 30
    # The longest a member token may live (exp - iat): a leaked long-lived token would
    # otherwise spend a member's points for as long as its author chose.
    member_token_max_days: int = 30
    earning_rules: tuple[EarningRule, ...] = ()
    tiers: tuple[Tier, ...] = ()
    tier_policy: TierPolicy = field(default_factory=TierPolicy)
    vip_trial_offer: VipTrialOffer | None = None
    segments: SegmentPolicy = field(default_factory=SegmentPolicy)
    referral: ReferralPolicy = field(default_factory=ReferralPolicy)
    # Push: expiring-points reminders this many days before a lot expires (each once), a
    # win-back push after this many days without an order, and a daily marketing cap.
    reminder_days: tuple[int, ...] = (30, 7, 1)
    inactivity_days: int = 90
    daily_marketing_cap: int = 2
    # Member-to-member transfers (issue 12): off unless the merchant turns them on.
    gifting: GiftingPolicy = field(default_factory=GiftingPolicy)
    # Coupons that expire unused give their points back (issue 10).
    return_expired_coupons: bool = True

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def available_at(self, placed_at: datetime) -> datetime:
        return placed_at + timedelta(days=self.pending_days)

    def expires_at(self, earned_at: datetime) -> datetime | None:
        """Points expire at the start of the day after `expiry_months`, in the tenant's zone,
        so that one day's lots expire together and reminders can group them by date."""
        if self.expiry_months is None:
            return None
        zone = self.zone()
        local = add_months(earned_at.astimezone(zone), self.expiry_months)
        next_midnight = (local + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return next_midnight.astimezone(earned_at.tzinfo)

    def activity_rule(self, activity: ActivityType, custom: str | None) -> EarningRule | None:
        for rule in self.earning_rules:
            if rule.kind is not EarningRuleKind.ACTIVITY or not rule.active:
                continue
            if rule.activity is not activity:
                continue
            if activity is ActivityType.CUSTOM and rule.custom_activity not in (None, custom):
                continue
            return rule
        return None

    def tier(self, tier_id: str) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)

    def sorted_tiers(self) -> tuple[Tier, ...]:
        return tuple(sorted(self.tiers, key=lambda t: t.rank))
