"""rewards (public), upsertReward (admin), redeemReward (member), coupon look-up and
consumption at checkout (merchant), and cancelCoupon (the coupon's owner or the merchant)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info, RequestScope
from graphql_schema.errors import attempt, reader
from graphql_schema.node import local_key, optional_key
from graphql_schema.permissions import (
    HasAdminScope,
    InTenant,
    IsMember,
    IsMemberOrMerchant,
    IsMerchant,
)
from graphql_schema.rewards import (
    CancelCouponPayload,
    ConsumeCouponInput,
    Coupon,
    CouponPayload,
    RedeemRewardInput,
    RedeemRewardPayload,
    Redemption,
    Reward,
    UpsertRewardInput,
    UpsertRewardPayload,
)
from graphql_schema.scalars import Decimal
from graphql_schema.wallet import Wallet
from loyalty import rewards as domain
from loyalty.principal import Kind
from loyalty.program import LocalizedText
from loyalty.usecases import coupons, redemptions, rewards


def _reward(scope: RequestScope, reward: domain.Reward) -> Reward:
    return Reward.of(reward, scope.locale, scope.require_tenant().program)


async def _coupon(scope: RequestScope, redemption: domain.Redemption) -> Coupon:
    """The coupon with its reward's kind and value and its member, read now."""
    reward = await scope.deps.rewards.get(scope.require_tenant().slug, redemption.reward_id)
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
        found, errors = await attempt(
            scope.locale, lambda: rewards.find_coupon(scope.deps, scope.require_tenant(), code)
        )
        if found is None:
            return CouponPayload(user_errors=errors)
        return CouponPayload(coupon=await _coupon(scope, found))


@strawberry.type
class RewardMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_reward(self, info: Info, input: UpsertRewardInput) -> UpsertRewardPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        data = rewards.RewardInput(
            id=optional_key(input.id, "Reward", tenant.slug),
            name=input.name.to_domain(),
            description=input.description.to_domain() if input.description else LocalizedText(),
            cost=input.cost,
            kind=input.kind,
            value=None if input.value is None else str(input.value),
            min_tier_id=optional_key(input.min_tier_id, "Tier", tenant.slug),
            active=input.active,
            coupon_valid_days=input.coupon_valid_days,
        )
        reward, errors = await attempt(
            scope.locale, lambda: rewards.upsert_reward(scope.deps, tenant, data)
        )
        if reward is None:
            return UpsertRewardPayload(user_errors=errors)
        return UpsertRewardPayload(reward=_reward(scope, reward))

    @strawberry.mutation(permission_classes=[IsMember])
    async def redeem_reward(self, info: Info, input: RedeemRewardInput) -> RedeemRewardPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        result, errors = await attempt(
            scope.locale,
            lambda: redemptions.redeem_reward(
                scope.deps,
                tenant,
                scope.require_member(),
                reward_id=local_key(str(input.reward_id), "Reward", tenant.slug),
                idempotency_key=input.idempotency_key,
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
            scope.locale,
            lambda: rewards.consume_coupon(
                scope.deps, scope.require_tenant(), code=input.code, order_id=str(input.order_id)
            ),
        )
        if used is None:
            return CouponPayload(user_errors=errors)
        return CouponPayload(coupon=await _coupon(scope, used))

    @strawberry.mutation(
        permission_classes=[IsMemberOrMerchant],
        description="Cancels an unused coupon; its points go back. Idempotent.",
    )
    async def cancel_coupon(
        self, info: Info, code: str, idempotency_key: str
    ) -> CancelCouponPayload:
        scope = info.context.scope
        member = scope.require_member() if info.context.principal.kind is Kind.MEMBER else None
        done, errors = await attempt(
            scope.locale,
            lambda: coupons.cancel_coupon(
                scope.deps,
                scope.require_tenant(),
                code=code,
                idempotency_key=idempotency_key,
                member=member,
            ),
            reader(scope, None if member is not None else "admin"),
        )
        if done is None:
            return CancelCouponPayload(user_errors=errors)
        return CancelCouponPayload(
            coupon=await _coupon(scope, done.redemption),
            wallet=Wallet(_member=done.member, _now=scope.deps.clock.now()),
        )
