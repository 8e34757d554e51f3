"""updateProgram's input (every setting optional: absent means unchanged) and payload."""

from __future__ import annotations

import strawberry

from graphql_schema.common import LocalizedTextInput
from graphql_schema.earning import EarningRuleInput
from graphql_schema.engagement_program import (
    ReferralRewardInput,
    SegmentPolicyInput,
    TierPolicyInput,
    VipTrialOfferInput,
    engagement_changes,
)
from graphql_schema.errors import UserError
from graphql_schema.gifting_policy import GiftingPolicyInput
from graphql_schema.points_name import PointsNameInput
from graphql_schema.program import Program
from graphql_schema.scalars import Decimal
from loyalty.program import LocalizedText, PointsName
from loyalty.usecases import program as usecase


@strawberry.input
class UpdateProgramInput:
    name: strawberry.Maybe[LocalizedTextInput] = None
    points_name: strawberry.Maybe[PointsNameInput] = None
    earn_rate: strawberry.Maybe[Decimal] = None
    point_value: strawberry.Maybe[Decimal] = None
    expiry_months: strawberry.Maybe[int | None] = strawberry.field(
        default=None, description="null: points never expire."
    )
    pending_days: strawberry.Maybe[int] = None
    coupon_valid_days: strawberry.Maybe[int] = None
    member_token_max_days: strawberry.Maybe[int] = strawberry.field(
        default=None, description="Longest member-token lifetime accepted, in days (1..365)."
    )
    timezone: strawberry.Maybe[str] = None
    default_locale: strawberry.Maybe[str] = None
    earning_rules: strawberry.Maybe[list[EarningRuleInput]] = strawberry.field(
        default=None, description="Replaces the whole list."
    )
    tier_policy: strawberry.Maybe[TierPolicyInput] = None
    vip_trial_offer: strawberry.Maybe[VipTrialOfferInput | None] = strawberry.field(
        default=None, description="null: the program offers no trial."
    )
    segment_policy: strawberry.Maybe[SegmentPolicyInput] = None
    referral_reward: strawberry.Maybe[ReferralRewardInput] = None
    reminder_days: strawberry.Maybe[list[int]] = strawberry.field(
        default=None,
        description="Days before expiry to remind (1..365, at most 5, distinct); [] turns off.",
    )
    inactivity_days: strawberry.Maybe[int] = strawberry.field(
        default=None, description="Days without an order before a win-back push (7..730)."
    )
    daily_marketing_cap: strawberry.Maybe[int] = strawberry.field(
        default=None, description="Most marketing pushes per member per local day (0..20)."
    )
    gifting: strawberry.Maybe[GiftingPolicyInput] = None
    return_expired_coupons: strawberry.Maybe[bool] = strawberry.field(
        default=None, description="Whether coupons that expire unused give their points back."
    )

    def to_changes(self, tenant: str) -> usecase.ProgramChanges:
        unset = usecase.UNSET
        rules: object = unset
        if self.earning_rules is not None:
            rules = [
                usecase.EarningRuleInput(
                    id=None if r.id is None else str(r.id),
                    kind=r.kind,
                    name=r.name.to_domain() if r.name else LocalizedText(),
                    category=r.category,
                    sku=r.sku,
                    multiplier=None if r.multiplier is None else str(r.multiplier),
                    bonus_points=r.bonus_points,
                    activity=r.activity,
                    custom_activity=r.custom_activity,
                    points=r.points,
                    limit=r.limit,
                    period=r.period,
                    active=r.active,
                )
                for r in self.earning_rules.value
            ]
        names: object = unset
        if self.points_name is not None:
            names = PointsName(
                ar=self.points_name.value.ar.to_dict(), en=self.points_name.value.en.to_dict()
            )
        return usecase.ProgramChanges(
            name=self.name.value.to_domain() if self.name is not None else unset,
            points_name=names,
            earn_rate=str(self.earn_rate.value) if self.earn_rate is not None else unset,
            point_value=str(self.point_value.value) if self.point_value is not None else unset,
            expiry_months=self.expiry_months.value if self.expiry_months is not None else unset,
            pending_days=self.pending_days.value if self.pending_days is not None else unset,
            coupon_valid_days=(
                self.coupon_valid_days.value if self.coupon_valid_days is not None else unset
            ),
            member_token_max_days=(
                self.member_token_max_days.value
                if self.member_token_max_days is not None
                else unset
            ),
            timezone=self.timezone.value if self.timezone is not None else unset,
            default_locale=self.default_locale.value if self.default_locale is not None else unset,
            earning_rules=rules,
            reminder_days=list(self.reminder_days.value)
            if self.reminder_days is not None
            else unset,
            inactivity_days=self.inactivity_days.value
            if self.inactivity_days is not None
            else unset,
            daily_marketing_cap=(
                self.daily_marketing_cap.value if self.daily_marketing_cap is not None else unset
            ),
            return_expired_coupons=(
                self.return_expired_coupons.value
                if self.return_expired_coupons is not None
                else unset
            ),
            engagement=engagement_changes(
                tenant,
                self.tier_policy,
                self.vip_trial_offer,
                self.segment_policy,
                self.referral_reward,
            ),
            gifting=self.gifting.value.to_domain() if self.gifting is not None else unset,
        )


@strawberry.type
class UpdateProgramPayload:
    program: Program | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
