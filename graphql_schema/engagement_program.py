"""The program's engagement settings: outputs on Program and inputs of updateProgram."""

from __future__ import annotations

from decimal import Decimal as D

import strawberry

from graphql_schema.node import local_key
from graphql_schema.scalars import Decimal
from graphql_schema.tiers import Tier, TierMetric, TierReset
from loyalty import engagement_settings as settings
from loyalty.program import Program as DomainProgram
from loyalty.usecases.engagement_program import UNSET, EngagementChanges


@strawberry.type
class TierPolicy:
    metric: TierMetric
    window_months: int | None = strawberry.field(description="null: all time.")
    grace_days: int
    reset: TierReset = strawberry.field(
        default=TierReset.ROLLING, description="CALENDAR_YEAR: counts from 1 January."
    )


@strawberry.type(description="How members are put in segments (RFM over a window of days).")
class SegmentPolicy:
    window_days: int
    inactivity_days: int
    top_orders: int
    top_spend: Decimal


@strawberry.type(description="Points for each side once the referee's first order is kept.")
class ReferralReward:
    referrer_points: int
    referee_points: int


@strawberry.type
class VipTrialOffer:
    _offer: strawberry.Private[settings.VipTrialOffer]
    _program: strawberry.Private[DomainProgram]
    _locale: strawberry.Private[str]

    @strawberry.field
    def tier(self) -> Tier | None:
        tier = self._program.tier(self._offer.tier_id)
        return Tier(_tier=tier, _locale=self._locale) if tier else None

    @strawberry.field
    def days(self) -> int:
        return self._offer.days

    @strawberry.field(description="Orders a member needs before they may claim it.")
    def min_orders(self) -> int:
        return self._offer.min_orders

    @strawberry.field(description="One trial per member per this many days.")
    def cooldown_days(self) -> int:
        return self._offer.cooldown_days


@strawberry.input
class TierPolicyInput:
    metric: TierMetric
    window_months: int | None = None
    grace_days: int = 30
    reset: TierReset = strawberry.field(
        default=TierReset.ROLLING,
        description="CALENDAR_YEAR: the qualifying value counts from 1 January in the "
        "program's time zone (windowMonths must then be null).",
    )


@strawberry.input
class VipTrialOfferInput:
    tier_id: strawberry.ID
    days: int
    min_orders: int = 1
    cooldown_days: int = 365


@strawberry.input
class SegmentPolicyInput:
    window_days: int
    inactivity_days: int
    top_orders: int
    top_spend: Decimal


@strawberry.input
class ReferralRewardInput:
    referrer_points: int
    referee_points: int


def engagement_changes(
    tenant: str,
    tier_policy: strawberry.Maybe[TierPolicyInput],
    offer: strawberry.Maybe[VipTrialOfferInput | None],
    segments: strawberry.Maybe[SegmentPolicyInput],
    referral: strawberry.Maybe[ReferralRewardInput],
) -> EngagementChanges:
    policy: object = UNSET
    if tier_policy is not None:
        p = tier_policy.value
        policy = settings.TierPolicy(p.metric, p.window_months, p.grace_days, p.reset)
    trial: object = UNSET
    if offer is not None:
        o = offer.value
        trial = (
            None
            if o is None
            else settings.VipTrialOffer(
                local_key(str(o.tier_id), "Tier", tenant), o.days, o.min_orders, o.cooldown_days
            )
        )
    seg: object = UNSET
    if segments is not None:
        s = segments.value
        seg = settings.SegmentPolicy(
            s.window_days, s.inactivity_days, s.top_orders, D(str(s.top_spend))
        )
    ref: object = UNSET
    if referral is not None:
        r = referral.value
        ref = settings.ReferralPolicy(r.referrer_points, r.referee_points)
    return EngagementChanges(tier_policy=policy, vip_trial_offer=trial, segments=seg, referral=ref)
