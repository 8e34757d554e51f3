"""rewards, upsertReward, redeemReward, and coupon validation/consumption at checkout."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info, RequestScope
from graphql_schema.errors import UserError, attempt, reader
from graphql_schema.node import local_key, optional_key
from graphql_schema.permissions import HasAdminScope, InTenant, IsMember, IsMerchant
from graphql_schema.rewards import (
    ConsumeCouponInput,
    Coupon,
    RedeemRewardInput,
    Redemption,
    Reward,
    UpsertRewardInput,
)
from graphql_schema.scalars import Decimal
from graphql_schema.wallet import Wallet
from loyalty import rewards as domain
from loyalty.program import LocalizedText
from loyalty.usecases.rewards import RewardInput
from resolvers import rewards as resolve


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


def _reward(scope: RequestScope, reward: domain.Reward) -> Reward:
    return Reward.of(reward, scope.locale, scope.require_tenant().program)


async def _coupon(scope: RequestScope, redemption: domain.Redemption) -> Coupon:
    reward = await resolve.reward(scope, redemption.reward_id)
    member = await scope.deps.members.get(redemption.tenant, redemption.member_id)
    return Coupon(
        code=redemption.coupon_code,
        status=redemption.status,
        reward_name=redemption.reward_name.pick(scope.locale) or "",
        kind=reward.kind if reward else domain.RewardKind.FREE_PRODUCT,
        value=None
        if reward is None or reward.value is None
        else Decimal(format(reward.value, "f")),
        points_spent=redemption.points_spent,
        expires_at=redemption.expires_at,
        member_external_id=None if member is None else strawberry.ID(member.external_id),
        used_order_id=(
            None if redemption.used_order_id is None else strawberry.ID(redemption.used_order_id)
        ),
    )


@strawberry.type
class RewardQuery:
    @strawberry.field(permission_classes=[InTenant])
    async def rewards(self, info: Info) -> list[Reward]:
        scope = info.context.scope
        return [_reward(scope, r) for r in await scope.rewards(active_only=True)]

    @strawberry.field(
        permission_classes=[IsMerchant],
        description="Look a coupon up at checkout without using it.",
    )
    async def coupon(self, info: Info, code: str) -> CouponPayload:
        scope = info.context.scope
        found, errors = await attempt(scope.locale, lambda: resolve.coupon(scope, code))
        if found is None:
            return CouponPayload(user_errors=errors)
        return CouponPayload(coupon=await _coupon(scope, found))


@strawberry.type
class RewardMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_reward(self, info: Info, input: UpsertRewardInput) -> UpsertRewardPayload:
        scope = info.context.scope
        slug = scope.require_tenant().slug
        data = RewardInput(
            id=optional_key(input.id, "Reward", slug),
            name=input.name.to_domain(),
            description=input.description.to_domain() if input.description else LocalizedText(),
            cost=input.cost,
            kind=input.kind,
            value=None if input.value is None else str(input.value),
            min_tier_id=optional_key(input.min_tier_id, "Tier", slug),
            active=input.active,
            coupon_valid_days=input.coupon_valid_days,
        )
        reward, errors = await attempt(scope.locale, lambda: resolve.upsert_reward(scope, data))
        if reward is None:
            return UpsertRewardPayload(user_errors=errors)
        return UpsertRewardPayload(reward=_reward(scope, reward))

    @strawberry.mutation(permission_classes=[IsMember])
    async def redeem_reward(self, info: Info, input: RedeemRewardInput) -> RedeemRewardPayload:
        scope = info.context.scope
        result, errors = await attempt(
            scope.locale,
            lambda: resolve.redeem(
                scope,
                local_key(str(input.reward_id), "Reward", scope.require_tenant().slug),
                input.idempotency_key,
            ),
            reader(scope),
        )
        if result is None:
            return RedeemRewardPayload(user_errors=errors)
        return RedeemRewardPayload(
            redemption=Redemption(
                _redemption=result.redemption, _reward=_reward(scope, result.reward)
            ),
            wallet=Wallet(_member=result.member, _now=scope.deps.clock.now()),
        )

    @strawberry.mutation(
        permission_classes=[IsMerchant],
        description="Marks a coupon used by an order, exactly once.",
    )
    async def consume_coupon(self, info: Info, input: ConsumeCouponInput) -> CouponPayload:
        scope = info.context.scope
        used, errors = await attempt(
            scope.locale, lambda: resolve.consume_coupon(scope, input.code, str(input.order_id))
        )
        if used is None:
            return CouponPayload(user_errors=errors)
        return CouponPayload(coupon=await _coupon(scope, used))
