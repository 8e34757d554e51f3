"""A tenant, its member-token keys, and the inputs and payloads of tenant creation and key
management."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.errors import UserError
from graphql_schema.program import Program
from loyalty import tenants as domain


@strawberry.type
class Tenant:
    _tenant: strawberry.Private[domain.Tenant]
    _locale: strawberry.Private[str]

    @strawberry.field
    def slug(self) -> str:
        return self._tenant.slug

    @strawberry.field
    def program(self) -> Program:
        return Program(_program=self._tenant.program, _locale=self._locale)

    @strawberry.field
    def created_at(self) -> datetime:
        return self._tenant.created_at


@strawberry.type
class MemberTokenKey:
    kid: str
    alg: str
    created_at: datetime


def token_keys(keys: tuple[domain.MemberKey, ...]) -> list[MemberTokenKey]:
    return [MemberTokenKey(kid=k.kid, alg=k.alg, created_at=k.created_at) for k in keys]


@strawberry.input
class CreateTenantInput:
    slug: str
    name: str
    currency: str
    default_locale: str


@strawberry.type
class CreateTenantPayload:
    tenant: Tenant | None = None
    admin_api_key: str | None = None
    events_api_key: str | None = None
    member_token_secret: str | None = None
    member_token_kid: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RotateMemberTokenSecretPayload:
    kid: str | None = None
    member_token_secret: str | None = None
    keys: list[MemberTokenKey] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AddMemberTokenPublicKeyInput:
    alg: str
    public_key_pem: str


@strawberry.type
class MemberTokenKeysPayload:
    keys: list[MemberTokenKey] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
