"""applyReferralCode (member)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.member_payloads import ApplyReferralCodePayload
from graphql_schema.members import Member
from graphql_schema.permissions import IsMember
from loyalty.usecases import referrals


@strawberry.type
class ReferralMutation:
    @strawberry.mutation(
        permission_classes=[IsMember],
        description=(
            "Links a new member (no orders yet) to the member whose code it is, once. Both are "
            "rewarded when this member's first order is past its return window. Natural key: "
            "the member; the same code again returns the same result."
        ),
    )
    async def apply_referral_code(self, info: Info, code: str) -> ApplyReferralCodePayload:
        scope = info.context.scope
        member, errors = await attempt(
            scope.locale,
            lambda: referrals.apply_referral_code(
                scope.deps, scope.require_tenant(), scope.require_member(), code
            ),
        )
        if member is None:
            return ApplyReferralCodePayload(user_errors=errors)
        return ApplyReferralCodePayload(member=Member(_member=member))
