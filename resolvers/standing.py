"""Tiers, trials, referrals and leaderboards: arguments to one use case each."""

from __future__ import annotations

from decimal import Decimal

from graphql_schema.context import RequestScope
from loyalty.leaderboards import LeaderboardPeriod
from loyalty.members import Member
from loyalty.program import Tier
from loyalty.usecases import leaderboards, referrals, tier_admin, tiers, trials
from loyalty.usecases.leaderboards import Board


async def qualifying_value(scope: RequestScope, member: Member) -> Decimal:
    tenant = scope.require_tenant()
    return await tiers.qualifying_value(scope.deps, tenant.program, member.id, tenant.slug)


async def upsert_tier(scope: RequestScope, data: tier_admin.TierInput) -> Tier:
    return await tier_admin.upsert_tier(scope.deps, scope.require_tenant(), data)


async def claim_vip_trial(scope: RequestScope) -> Member:
    return await trials.claim_vip_trial(scope.deps, scope.require_tenant(), scope.require_member())


async def grant_vip_trial(
    scope: RequestScope, member_external_id: str, tier_id: str, days: int
) -> Member:
    return await trials.grant_vip_trial(
        scope.deps,
        scope.require_tenant(),
        member_external_id=member_external_id,
        tier_id=tier_id,
        days=days,
    )


async def apply_referral_code(scope: RequestScope, code: str) -> Member:
    return await referrals.apply_referral_code(
        scope.deps, scope.require_tenant(), scope.require_member(), code
    )


async def leaderboard(scope: RequestScope, period: LeaderboardPeriod, first: int) -> Board:
    return await leaderboards.read(
        scope.deps, scope.require_tenant(), scope.require_member(), period, first
    )


async def set_leaderboard_opt_out(scope: RequestScope, opt_out: bool) -> None:
    await leaderboards.set_opt_out(scope.deps, scope.require_member(), opt_out)
