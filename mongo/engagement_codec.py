"""Program engagement settings to and from the tenant document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from loyalty.engagement_settings import (
    ReferralPolicy,
    SegmentPolicy,
    TierMetric,
    TierPolicy,
    TierReset,
    VipTrialOffer,
)
from mongo.codec import dec, dec_from


def engagement_doc(
    tier_policy: TierPolicy,
    offer: VipTrialOffer | None,
    segments: SegmentPolicy,
    referral: ReferralPolicy,
) -> dict[str, Any]:
    return {
        "tier_policy": {
            "metric": tier_policy.metric.value,
            "window_months": tier_policy.window_months,
            "grace_days": tier_policy.grace_days,
            "reset": tier_policy.reset.value,
        },
        "vip_trial_offer": (
            None
            if offer is None
            else {
                "tier_id": offer.tier_id,
                "days": offer.days,
                "min_orders": offer.min_orders,
                "cooldown_days": offer.cooldown_days,
            }
        ),
        "segments": {
            "window_days": segments.window_days,
            "inactivity_days": segments.inactivity_days,
            "top_orders": segments.top_orders,
            "top_spend": dec(segments.top_spend),
        },
        "referral": {
            "referrer_points": referral.referrer_points,
            "referee_points": referral.referee_points,
        },
    }


def tier_policy_from(doc: Any) -> TierPolicy:
    if not doc:
        return TierPolicy()
    return TierPolicy(
        metric=TierMetric(doc["metric"]),
        window_months=doc.get("window_months"),
        grace_days=doc.get("grace_days", 30),
        reset=TierReset(doc.get("reset", TierReset.ROLLING.value)),
    )


def offer_from(doc: Any) -> VipTrialOffer | None:
    if not doc:
        return None
    return VipTrialOffer(
        tier_id=doc["tier_id"],
        days=doc["days"],
        min_orders=doc.get("min_orders", 1),
        cooldown_days=doc.get("cooldown_days", 365),
    )


def segments_from(doc: Any) -> SegmentPolicy:
    if not doc:
        return SegmentPolicy()
    return SegmentPolicy(
        window_days=doc["window_days"],
        inactivity_days=doc["inactivity_days"],
        top_orders=doc["top_orders"],
        top_spend=dec_from(doc.get("top_spend")) or Decimal(1000),
    )


def referral_from(doc: Any) -> ReferralPolicy:
    if not doc:
        return ReferralPolicy()
    return ReferralPolicy(doc.get("referrer_points", 0), doc.get("referee_points", 0))
