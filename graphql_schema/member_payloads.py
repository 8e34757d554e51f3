"""Payloads (and inputs) of the operations that answer with a member: enrolment, profile,
VIP trials and referral codes."""

from __future__ import annotations

import strawberry

from graphql_schema.errors import UserError
from graphql_schema.members import Member


@strawberry.type
class MemberPayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UpdateProfilePayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


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
class ApplyReferralCodePayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
