"""Tiers and VIP trials: upsertTier and grantVipTrial (admin), claimVipTrial (member)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.member_payloads import (
    ClaimVipTrialPayload,
    GrantVipTrialInput,
    GrantVipTrialPayload,
)
from graphql_schema.members import Member
from graphql_schema.node import local_key, optional_key
from graphql_schema.permissions import HasAdminScope, IsMember
from graphql_schema.tiers import Tier, UpsertTierInput, UpsertTierPayload
from loyalty.usecases import tier_admin, trials


@strawberry.type
class TierMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_tier(self, info: Info, input: UpsertTierInput) -> UpsertTierPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        data = tier_admin.TierInput(
            id=optional_key(input.id, "Tier", tenant.slug),
            name=input.name.to_domain(),
            rank=input.rank,
            threshold=str(input.threshold),
            earn_multiplier=str(input.earn_multiplier),
            perks=tuple(p.to_domain() for p in input.perks or ()) or (),
            keep_threshold=None if input.keep_threshold is None else str(input.keep_threshold),
        )
        tier, errors = await attempt(
            scope.locale, lambda: tier_admin.upsert_tier(scope.deps, tenant, data)
        )
        if tier is None:
            return UpsertTierPayload(user_errors=errors)
        return UpsertTierPayload(tier=Tier(_tier=tier, _locale=scope.locale))


@strawberry.type
class TrialMutation:
    @strawberry.mutation(
        permission_classes=[IsMember],
        description="Idempotent: repeating it during the trial returns the same trial.",
    )
    async def claim_vip_trial(self, info: Info) -> ClaimVipTrialPayload:
        scope = info.context.scope
        member, errors = await attempt(
            scope.locale,
            lambda: trials.claim_vip_trial(
                scope.deps, scope.require_tenant(), scope.require_member()
            ),
        )
        if member is None:
            return ClaimVipTrialPayload(user_errors=errors)
        return ClaimVipTrialPayload(member=Member(_member=member))

    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="Natural key: the member and tier; repeating it during the trial is a no-op.",
    )
    async def grant_vip_trial(self, info: Info, input: GrantVipTrialInput) -> GrantVipTrialPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        member, errors = await attempt(
            scope.locale,
            lambda: trials.grant_vip_trial(
                scope.deps,
                tenant,
                member_external_id=str(input.member_external_id),
                tier_id=local_key(str(input.tier_id), "Tier", tenant.slug),
                days=input.days,
            ),
        )
        if member is None:
            return GrantVipTrialPayload(user_errors=errors)
        return GrantVipTrialPayload(member=Member(_member=member))
