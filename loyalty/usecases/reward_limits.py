"""Applying reward limits at redemption: the availability window, then a claim in every
limit bucket (the member's, then the stock), all given back when the redemption fails."""

from __future__ import annotations

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.reward_limits import buckets, stock_key, window_problem
from loyalty.rewards import Reward
from loyalty.tenants import Tenant

FIELD = ("input", "rewardId")


def check_window(reward: Reward, deps: Deps) -> None:
    problem = window_problem(reward.limits, deps.clock.now())
    if problem is not None:
        code, moment = problem
        raise DomainError(code, FIELD, date=moment)


async def claim_limits(
    deps: Deps, tenant: Tenant, reward: Reward, member_id: str, claim_id: str
) -> tuple[str, ...]:
    """Claims a unit of every bucket that applies, or none: a full bucket gives back those
    already claimed and raises its own code. Returns the keys claimed."""
    found = buckets(reward.limits, reward.id, member_id, deps.clock.now(), tenant.program.zone())
    claimed: list[str] = []
    for bucket in found:
        if not await deps.reward_claims.claim(tenant.slug, bucket.key, bucket.limit, claim_id):
            await release_limits(deps, tenant.slug, tuple(claimed), claim_id)
            params = {} if bucket.code is ErrorCode.REWARD_OUT_OF_STOCK else {"limit": bucket.limit}
            raise DomainError(bucket.code, FIELD, **params)
        claimed.append(bucket.key)
    return tuple(claimed)


async def release_limits(deps: Deps, tenant: str, keys: tuple[str, ...], claim_id: str) -> None:
    for key in keys:
        await deps.reward_claims.release(tenant, key, claim_id)


async def stock_left(deps: Deps, tenant: str, reward: Reward) -> int | None:
    if reward.limits.stock is None:
        return None
    taken = await deps.reward_claims.count(tenant, stock_key(reward.id))
    return max(reward.limits.stock - taken, 0)
