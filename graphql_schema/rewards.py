"""Rewards, redemptions and coupons, and the inputs and payloads of the catalogue and checkout
operations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.common import LocalizedTextInput
from graphql_schema.context import Info
from graphql_schema.errors import UserError
from graphql_schema.node import Node, global_id
from graphql_schema.scalars import Decimal
from graphql_schema.tiers import Tier
from graphql_schema.wallet import Wallet
from loyalty import program as program_domain
from loyalty import rewards as domain

strawberry.enum(domain.RewardKind, name="RewardKind")
RewardKind = domain.RewardKind
strawberry.enum(domain.RedemptionStatus, name="RedemptionStatus")
RedemptionStatus = domain.RedemptionStatus


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(format(value, "f"))


@strawberry.type
class Reward(Node):
    _reward: strawberry.Private[domain.Reward]
    _locale: strawberry.Private[str]
    _program: strawberry.Private[program_domain.Program]

    @classmethod
    def of(cls, reward: domain.Reward, locale: str, program: program_domain.Program) -> Reward:
        return cls(_reward=reward, _locale=locale, _program=program)

    @strawberry.field(description="Global id (Node); inputs also take the reward's local id.")
    def id(self, info: Info) -> strawberry.ID:
        return global_id("Reward", info.context.scope.require_tenant().slug, self._reward.id)

    @strawberry.field
    def name(self) -> str:
        return self._reward.name.pick(self._locale) or ""

    @strawberry.field
    def description(self) -> str | None:
        return self._reward.description.pick(self._locale)

    @strawberry.field
    def cost(self) -> int:
        return self._reward.cost

    @strawberry.field
    def kind(self) -> RewardKind:
        return self._reward.kind

    @strawberry.field(description="Percent for PERCENT_DISCOUNT, money for AMOUNT_DISCOUNT.")
    def value(self) -> Decimal | None:
        return _decimal(self._reward.value)

    @strawberry.field
    def min_tier(self) -> Tier | None:
        if self._reward.min_tier_id is None:
            return None
        tier = self._program.tier(self._reward.min_tier_id)
        return Tier(_tier=tier, _locale=self._locale) if tier else None

    @strawberry.field
    def active(self) -> bool:
        return self._reward.active

    @strawberry.field
    def coupon_valid_days(self) -> int | None:
        return self._reward.coupon_valid_days


@strawberry.type
class Redemption(Node):
    _redemption: strawberry.Private[domain.Redemption]
    _reward: strawberry.Private[Reward]

    @strawberry.field(description="Global id (Node).")
    def id(self, info: Info) -> strawberry.ID:
        return global_id("Redemption", self._redemption.tenant, self._redemption.id)

    @strawberry.field
    def reward(self) -> Reward:
        return self._reward

    @strawberry.field
    def coupon_code(self) -> str:
        return self._redemption.coupon_code

    @strawberry.field
    def points_spent(self) -> int:
        return self._redemption.points_spent

    @strawberry.field
    def status(self) -> RedemptionStatus:
        return self._redemption.status

    @strawberry.field
    def created_at(self) -> datetime:
        return self._redemption.created_at

    @strawberry.field
    def expires_at(self) -> datetime | None:
        return self._redemption.expires_at

    @strawberry.field
    def used_at(self) -> datetime | None:
        return self._redemption.used_at

    @strawberry.field
    def used_order_id(self) -> strawberry.ID | None:
        order = self._redemption.used_order_id
        return None if order is None else strawberry.ID(order)


@strawberry.type(description="A coupon as the store sees it at checkout.")
class Coupon:
    code: str
    status: RedemptionStatus
    reward_name: str
    kind: RewardKind
    value: Decimal | None
    points_spent: int
    expires_at: datetime | None
    member_external_id: strawberry.ID | None
    used_order_id: strawberry.ID | None


@strawberry.input
class UpsertRewardInput:
    name: LocalizedTextInput
    cost: int
    kind: RewardKind
    id: strawberry.ID | None = None
    description: LocalizedTextInput | None = None
    value: Decimal | None = None
    min_tier_id: strawberry.ID | None = None
    active: bool = True
    coupon_valid_days: int | None = None


@strawberry.input
class RedeemRewardInput:
    reward_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class ConsumeCouponInput:
    code: str
    order_id: strawberry.ID


@strawberry.type
class UpsertRewardPayload:
    reward: Reward | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RedeemRewardPayload:
    redemption: Redemption | None = None
    wallet: Wallet | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CouponPayload:
    coupon: Coupon | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CancelCouponPayload:
    coupon: Coupon | None = None
    wallet: Wallet | None = strawberry.field(
        default=None, description="The coupon owner's wallet, with the points back."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
