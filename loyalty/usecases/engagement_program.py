"""Checking a program's engagement settings before they are saved (part of updateProgram)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from loyalty.engagement_settings import (
    ReferralPolicy,
    SegmentPolicy,
    TierPolicy,
    TierReset,
    VipTrialOffer,
)
from loyalty.errors import DomainError, ErrorCode
from loyalty.program import Program

UNSET: object = object()


@dataclass(frozen=True)
class EngagementChanges:
    """Fields left UNSET do not change; `vip_trial_offer=None` withdraws the offer."""

    tier_policy: TierPolicy | object = UNSET
    vip_trial_offer: VipTrialOffer | object | None = UNSET
    segments: SegmentPolicy | object = UNSET
    referral: ReferralPolicy | object = UNSET


def _range(value: int, low: int, high: int, *field: str) -> None:
    if not low <= value <= high:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", *field), min=low, max=high)


def apply_engagement(program: Program, changes: EngagementChanges) -> Program:
    updated = program
    if isinstance(changes.tier_policy, TierPolicy):
        policy = changes.tier_policy
        if policy.window_months is not None:
            if policy.reset is TierReset.CALENDAR_YEAR:
                # Both would say where the count starts: refused rather than one ignored.
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    ("input", "tierPolicy", "windowMonths"),
                    detail="windowMonths",
                )
            _range(policy.window_months, 1, 120, "tierPolicy", "windowMonths")
        _range(policy.grace_days, 0, 365, "tierPolicy", "graceDays")
        updated = replace(updated, tier_policy=policy)
    if changes.vip_trial_offer is None or isinstance(changes.vip_trial_offer, VipTrialOffer):
        offer = changes.vip_trial_offer
        if offer is not None:
            if program.tier(offer.tier_id) is None:
                raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "vipTrialOffer", "tierId"))
            _range(offer.days, 1, 365, "vipTrialOffer", "days")
            _range(offer.min_orders, 0, 1000, "vipTrialOffer", "minOrders")
            _range(offer.cooldown_days, 1, 3650, "vipTrialOffer", "cooldownDays")
        updated = replace(updated, vip_trial_offer=offer)
    if isinstance(changes.segments, SegmentPolicy):
        seg = changes.segments
        _range(seg.window_days, 7, 3650, "segmentPolicy", "windowDays")
        _range(seg.inactivity_days, 1, 3650, "segmentPolicy", "inactivityDays")
        _range(seg.top_orders, 2, 10_000, "segmentPolicy", "topOrders")
        if seg.top_spend <= Decimal(0):
            raise DomainError(ErrorCode.INVALID_AMOUNT, ("input", "segmentPolicy", "topSpend"))
        updated = replace(updated, segments=seg)
    if isinstance(changes.referral, ReferralPolicy):
        ref = changes.referral
        _range(ref.referrer_points, 0, 1_000_000, "referralReward", "referrerPoints")
        _range(ref.referee_points, 0, 1_000_000, "referralReward", "refereePoints")
        updated = replace(updated, referral=ref)
    return updated
