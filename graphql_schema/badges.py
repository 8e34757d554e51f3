"""Badges: the merchant's definitions, a member's awards and progress, and upsertBadge's input
and payload."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.common import LocalizedTextInput
from graphql_schema.context import Info
from graphql_schema.errors import UserError
from graphql_schema.node import Node, global_id, optional_key
from loyalty import badges as domain
from loyalty.program import LocalizedText
from loyalty.usecases.badge_admin import BadgeInput
from loyalty.usecases.badges import BadgeProgress

strawberry.enum(domain.BadgeRule, name="BadgeRule")
BadgeRule = domain.BadgeRule


@strawberry.type
class Badge(Node):
    _badge: strawberry.Private[domain.Badge]
    _locale: strawberry.Private[str]

    @strawberry.field(description="Global id (Node); inputs also take the badge's local id.")
    def id(self, info: Info) -> strawberry.ID:
        return global_id("Badge", info.context.scope.require_tenant().slug, self._badge.id)

    @strawberry.field
    def name(self) -> str:
        return self._badge.name.pick(self._locale) or self._badge.id

    @strawberry.field
    def description(self) -> str | None:
        return self._badge.description.pick(self._locale)

    @strawberry.field(description="The merchant's icon: an emoji, a name in its icon set or a URL.")
    def icon(self) -> str | None:
        return self._badge.icon

    @strawberry.field
    def rule(self) -> BadgeRule:
        return self._badge.rule

    @strawberry.field
    def category(self) -> str | None:
        return self._badge.category

    @strawberry.field(description="The tier's global id (as `Tier.id`).")
    def tier_id(self, info: Info) -> strawberry.ID | None:
        if not self._badge.tier_id:
            return None
        return global_id("Tier", info.context.scope.require_tenant().slug, self._badge.tier_id)

    @strawberry.field
    def goal(self) -> int:
        return self._badge.goal

    @strawberry.field(description="Points granted once when the badge is earned.")
    def bonus_points(self) -> int:
        return self._badge.bonus_points

    @strawberry.field
    def active(self) -> bool:
        return self._badge.active


@strawberry.type(description="A badge as one member sees it: earned (when) or how far along.")
class BadgeAward:
    _progress: strawberry.Private[BadgeProgress]
    _locale: strawberry.Private[str]

    @strawberry.field
    def badge(self) -> Badge:
        return Badge(_badge=self._progress.badge, _locale=self._locale)

    @strawberry.field
    def earned(self) -> bool:
        return self._progress.earned_at is not None

    @strawberry.field
    def earned_at(self) -> datetime | None:
        return self._progress.earned_at

    @strawberry.field(description="Towards `goal` (orders, reviews, referrals, months, money).")
    def progress(self) -> int:
        return self._progress.progress

    @strawberry.field
    def goal(self) -> int:
        return self._progress.badge.goal


@strawberry.input
class UpsertBadgeInput:
    name: LocalizedTextInput
    rule: BadgeRule
    goal: int = strawberry.field(
        default=1,
        description=(
            "ORDER_COUNT / REVIEW_COUNT / REFERRAL_COUNT: how many; CATEGORY_SPEND: currency "
            "units spent in `category`; MONTHLY_STREAK: consecutive months (2+); 1 otherwise."
        ),
    )
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Absent: a new badge. Present: replaces that badge."
    )
    description: LocalizedTextInput | None = None
    icon: str | None = None
    category: str | None = strawberry.field(default=None, description="For CATEGORY_SPEND.")
    tier_id: strawberry.ID | None = strawberry.field(default=None, description="For TIER_REACHED.")
    bonus_points: int = 0
    active: bool = True

    def to_domain(self, tenant: str) -> BadgeInput:
        return BadgeInput(
            id=optional_key(self.id, "Badge", tenant),
            name=self.name.to_domain(),
            description=self.description.to_domain() if self.description else LocalizedText(),
            icon=self.icon,
            rule=self.rule,
            goal=self.goal,
            category=self.category,
            tier_id=optional_key(self.tier_id, "Tier", tenant),
            bonus_points=self.bonus_points,
            active=self.active,
        )


@strawberry.type
class UpsertBadgePayload:
    badge: Badge | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
