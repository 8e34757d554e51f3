"""claimVipTrial (member) and grantVipTrial (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import UserError, attempt
from graphql_schema.members import Member
from graphql_schema.node import local_key
from graphql_schema.permissions import HasAdminScope, IsMember
from resolvers import standing as resolve


@strawberry.input
class GrantVipTrialInput:
    member_external_id: strawberry.ID
    tier_id: strawberry.ID
    days: int


@strawberry.type
class ClaimVipTrialPayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class GrantVipTrialPayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TrialMutation:
    @strawberry.mutation(
        permission_classes=[IsMember],
        description="Idempotent: repeating it during the trial returns the same trial.",
    )
    async def claim_vip_trial(self, info: Info) -> ClaimVipTrialPayload:
        scope = info.context.scope
        member, errors = await attempt(scope.locale, lambda: resolve.claim_vip_trial(scope))
        if member is None:
            return ClaimVipTrialPayload(user_errors=errors)
        return ClaimVipTrialPayload(member=Member(_member=member))

    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="Natural key: the member and tier; repeating it during the trial is a no-op.",
    )
    async def grant_vip_trial(self, info: Info, input: GrantVipTrialInput) -> GrantVipTrialPayload:
        scope = info.context.scope
        member, errors = await attempt(
            scope.locale,
            lambda: resolve.grant_vip_trial(
                scope,
                str(input.member_external_id),
                local_key(str(input.tier_id), "Tier", scope.require_tenant().slug),
                input.days,
            ),
        )
        if member is None:
            return GrantVipTrialPayload(user_errors=errors)
        return GrantVipTrialPayload(member=Member(_member=member))
