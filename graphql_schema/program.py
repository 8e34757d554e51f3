"""Program, earning rules, tiers and the points name, in the request's language."""

from __future__ import annotations

from decimal import Decimal as D

import strawberry

from graphql_schema.context import Info
from graphql_schema.earning import EarningRule
from graphql_schema.engagement_program import ReferralReward, TierPolicy, VipTrialOffer
from graphql_schema.explainer import RewardsExplainer
from graphql_schema.gifting_policy import GiftingPolicy
from graphql_schema.points_name import PointsName
from graphql_schema.rewards import Reward
from graphql_schema.scalars import Decimal
from graphql_schema.tiers import Tier
from loyalty import program as domain


def decimal_text(value: D) -> str:
    return format(value.normalize(), "f")


@strawberry.type
class Program:
    _program: strawberry.Private[domain.Program]
    _locale: strawberry.Private[str]

    @strawberry.field
    def name(self) -> str:
        return self._program.name.pick(self._locale) or ""

    @strawberry.field
    def currency(self) -> str:
        return self._program.currency

    @strawberry.field
    def default_locale(self) -> str:
        return self._program.default_locale

    @strawberry.field
    def timezone(self) -> str:
        return self._program.timezone

    @strawberry.field
    def points_name(self) -> PointsName:
        return PointsName(_program=self._program, _locale=self._locale)

    @strawberry.field(description="Points per 1 unit of currency spent, before tier multiplier.")
    def earn_rate(self) -> float:
        return float(self._program.earn_rate)

    @strawberry.field(description="Currency value of 1 point when redeemed.")
    def point_value(self) -> Decimal:
        return Decimal(decimal_text(self._program.point_value))

    @strawberry.field(description="Null when points never expire.")
    def expiry_months(self) -> int | None:
        return self._program.expiry_months

    @strawberry.field(description="Return window before order points become spendable.")
    def pending_days(self) -> int:
        return self._program.pending_days

    @strawberry.field
    def coupon_valid_days(self) -> int:
        return self._program.coupon_valid_days

    @strawberry.field(
        description="The longest a member token may live (its exp minus its iat), in days."
    )
    def member_token_max_days(self) -> int:
        return self._program.member_token_max_days

    @strawberry.field(description="Days before expiry when members are reminded, largest first.")
    def reminder_days(self) -> list[int]:
        return list(self._program.reminder_days)

    @strawberry.field(description="Days without an order before a win-back push.")
    def inactivity_days(self) -> int:
        return self._program.inactivity_days

    @strawberry.field(description="Most marketing pushes per member per local day.")
    def daily_marketing_cap(self) -> int:
        return self._program.daily_marketing_cap

    @strawberry.field(description="Whether coupons that expire unused give their points back.")
    def return_expired_coupons(self) -> bool:
        return self._program.return_expired_coupons

    @strawberry.field
    def tiers(self) -> list[Tier]:
        return [Tier(_tier=t, _locale=self._locale) for t in self._program.sorted_tiers()]

    @strawberry.field
    async def rewards(self, info: Info) -> list[Reward]:
        rewards = await info.context.scope.rewards(active_only=True)
        return [Reward.of(r, self._locale, self._program) for r in rewards]

    @strawberry.field
    def earning_rules(self) -> list[EarningRule]:
        return [EarningRule(_rule=r, _locale=self._locale) for r in self._program.earning_rules]

    @strawberry.field(description='The "how our points work" page: earning, value, expiry, tiers.')
    def how_it_works(self) -> RewardsExplainer:
        return RewardsExplainer.of(self._program, self._locale)

    @strawberry.field(description="null when the program offers no trial.")
    def vip_trial_offer(self) -> VipTrialOffer | None:
        offer = self._program.vip_trial_offer
        if offer is None:
            return None
        return VipTrialOffer(_offer=offer, _program=self._program, _locale=self._locale)

    @strawberry.field
    def tier_policy(self) -> TierPolicy:
        p = self._program.tier_policy
        return TierPolicy(metric=p.metric, window_months=p.window_months, grace_days=p.grace_days)

    @strawberry.field(description="Members sending each other points (issue 12).")
    def gifting(self) -> GiftingPolicy:
        return GiftingPolicy.of(self._program.gifting)

    @strawberry.field
    def referral_reward(self) -> ReferralReward:
        r = self._program.referral
        return ReferralReward(referrer_points=r.referrer_points, referee_points=r.referee_points)
