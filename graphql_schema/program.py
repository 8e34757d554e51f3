"""Program, earning rules, tiers and the points name, in the request's language."""

from __future__ import annotations

from decimal import Decimal as D

import strawberry

from graphql_schema.common import LocalizedTextInput
from graphql_schema.context import Info
from graphql_schema.engagement_program import ReferralReward, TierPolicy, VipTrialOffer
from graphql_schema.rewards import Reward
from graphql_schema.scalars import Decimal
from graphql_schema.tiers import Tier
from loyalty import explainer
from loyalty import program as domain
from loyalty.i18n import PointsNames, format_points, points_word

strawberry.enum(domain.ActivityType, name="ActivityType")
ActivityType = domain.ActivityType
strawberry.enum(domain.EarningRuleKind, name="EarningRuleKind")
EarningRuleKind = domain.EarningRuleKind
strawberry.enum(domain.LimitPeriod, name="LimitPeriod")
LimitPeriod = domain.LimitPeriod


def decimal_text(value: D) -> str:
    return format(value.normalize(), "f")


def points_names(program: domain.Program) -> PointsNames | None:
    ar = program.points_name.ar
    en = program.points_name.en
    if not (ar.get("other") and en.get("other")):
        return None
    return PointsNames(ar=ar, en=en)


@strawberry.type(description="The merchant's own name for its points, in the request language.")
class PointsName:
    _program: strawberry.Private[domain.Program]
    _locale: strawberry.Private[str]

    def _word(self, category: str) -> str:
        return points_word(category, self._locale, points_names(self._program))

    @strawberry.field(description='Word for one, e.g. "point" / "نقطة".')
    def one(self) -> str:
        return self._word("one")

    @strawberry.field(description='Word for two (Arabic dual), e.g. "نقطتان".')
    def two(self) -> str:
        return self._word("two")

    @strawberry.field(description='Word for 3-10 in Arabic, e.g. "نقاط".')
    def few(self) -> str:
        return self._word("few")

    @strawberry.field(description='Word for 11-99 in Arabic, e.g. "نقطة".')
    def many(self) -> str:
        return self._word("many")

    @strawberry.field(description='The general plural, e.g. "points".')
    def other(self) -> str:
        return self._word("other")

    @strawberry.field(description='A count with the right plural form, e.g. "3 نقاط".')
    def format(self, count: int) -> str:
        return format_points(count, self._locale, points_names(self._program))


@strawberry.type
class EarningRule:
    _rule: strawberry.Private[domain.EarningRule]
    _locale: strawberry.Private[str]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self._rule.id)

    @strawberry.field
    def kind(self) -> EarningRuleKind:
        return self._rule.kind

    @strawberry.field
    def name(self) -> str | None:
        return self._rule.name.pick(self._locale)

    @strawberry.field
    def category(self) -> str | None:
        return self._rule.category

    @strawberry.field
    def sku(self) -> str | None:
        return self._rule.sku

    @strawberry.field
    def multiplier(self) -> float:
        return float(self._rule.multiplier)

    @strawberry.field
    def bonus_points(self) -> int:
        return self._rule.bonus_points

    @strawberry.field
    def activity(self) -> ActivityType | None:
        return self._rule.activity

    @strawberry.field
    def custom_activity(self) -> str | None:
        return self._rule.custom_activity

    @strawberry.field
    def points(self) -> int:
        return self._rule.points

    @strawberry.field
    def limit(self) -> int | None:
        return self._rule.limit

    @strawberry.field
    def period(self) -> LimitPeriod:
        return self._rule.period

    @strawberry.field
    def active(self) -> bool:
        return self._rule.active


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

    @strawberry.field(description="Days before expiry when members are reminded, largest first.")
    def reminder_days(self) -> list[int]:
        return list(self._program.reminder_days)

    @strawberry.field(description="Days without an order before a win-back push.")
    def inactivity_days(self) -> int:
        return self._program.inactivity_days

    @strawberry.field(description="Most marketing pushes per member per local day.")
    def daily_marketing_cap(self) -> int:
        return self._program.daily_marketing_cap

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

    @strawberry.field
    def referral_reward(self) -> ReferralReward:
        r = self._program.referral
        return ReferralReward(referrer_points=r.referrer_points, referee_points=r.referee_points)


@strawberry.input
class PointsNameFormsInput:
    """Words per CLDR plural category; `other` is required, missing categories use it."""

    other: str
    zero: str | None = None
    one: str | None = None
    two: str | None = None
    few: str | None = None
    many: str | None = None

    def to_dict(self) -> dict[str, str]:
        forms = {
            "zero": self.zero,
            "one": self.one,
            "two": self.two,
            "few": self.few,
            "many": self.many,
            "other": self.other,
        }
        return {k: v for k, v in forms.items() if v is not None}


@strawberry.input
class PointsNameInput:
    ar: PointsNameFormsInput
    en: PointsNameFormsInput


@strawberry.input
class EarningRuleInput:
    kind: EarningRuleKind
    id: strawberry.ID | None = None
    name: LocalizedTextInput | None = None
    category: str | None = None
    sku: str | None = None
    multiplier: Decimal | None = None
    bonus_points: int | None = None
    activity: ActivityType | None = None
    custom_activity: str | None = None
    points: int | None = None
    limit: int | None = None
    period: LimitPeriod | None = None
    active: bool = True


strawberry.enum(explainer.ExplainerSectionKind, name="ExplainerSectionKind")
ExplainerSectionKind = explainer.ExplainerSectionKind


@strawberry.type(description="One part of the explainer, ready to render as a heading and lines.")
class ExplainerSection:
    kind: ExplainerSectionKind
    title: str
    lines: list[str]


@strawberry.type(description='The "how our points work" page, in the request language.')
class RewardsExplainer:
    title: str
    sections: list[ExplainerSection]

    @classmethod
    def of(cls, program: domain.Program, locale: str) -> RewardsExplainer:
        built = explainer.explain(program, locale, points_names(program))
        return cls(
            title=built.title,
            sections=[
                ExplainerSection(kind=s.kind, title=s.title, lines=list(s.lines))
                for s in built.sections
            ],
        )
