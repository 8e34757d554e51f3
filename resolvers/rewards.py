"""Catalogue, redemption and coupons."""

from __future__ import annotations

from graphql_schema.context import RequestScope
from loyalty.rewards import Redemption, Reward
from loyalty.usecases import redemptions, rewards


async def upsert_reward(scope: RequestScope, data: rewards.RewardInput) -> Reward:
    return await rewards.upsert_reward(scope.deps, scope.require_tenant(), data)


async def redeem(scope: RequestScope, reward_id: str, key: str) -> redemptions.Redeemed:
    return await redemptions.redeem_reward(
        scope.deps,
        scope.require_tenant(),
        scope.require_member(),
        reward_id=reward_id,
        idempotency_key=key,
    )


async def coupon(scope: RequestScope, code: str) -> Redemption:
    return await rewards.find_coupon(scope.deps, scope.require_tenant(), code)


async def consume_coupon(scope: RequestScope, code: str, order_id: str) -> Redemption:
    return await rewards.consume_coupon(
        scope.deps, scope.require_tenant(), code=code, order_id=order_id
    )


async def reward(scope: RequestScope, reward_id: str) -> Reward | None:
    return await scope.deps.rewards.get(scope.require_tenant().slug, reward_id)
