"""Earning rules as apps and merchants see them."""

from __future__ import annotations

import strawberry

from graphql_schema.common import LocalizedTextInput
from graphql_schema.scalars import Decimal
from loyalty import program as domain

strawberry.enum(domain.ActivityType, name="ActivityType")
ActivityType = domain.ActivityType
strawberry.enum(domain.EarningRuleKind, name="EarningRuleKind")
EarningRuleKind = domain.EarningRuleKind
strawberry.enum(domain.LimitPeriod, name="LimitPeriod")
LimitPeriod = domain.LimitPeriod


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
