"""createTenant (platform key) and member-token key rotation (admin)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import UserError, attempt
from graphql_schema.permissions import HasAdminScope, IsPlatform
from graphql_schema.program import Program
from loyalty import tenants as domain
from resolvers import tenants as resolve


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


def _keys(keys: tuple[domain.MemberKey, ...]) -> list[MemberTokenKey]:
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


@strawberry.type
class TenantQuery:
    @strawberry.field(permission_classes=[HasAdminScope])
    def member_token_keys(self, info: Info) -> list[MemberTokenKey]:
        return _keys(resolve.tenant_of(info.context.scope).member_keys)


@strawberry.type
class TenantMutation:
    @strawberry.mutation(permission_classes=[IsPlatform])
    async def create_tenant(self, info: Info, input: CreateTenantInput) -> CreateTenantPayload:
        scope = info.context.scope
        created, errors = await attempt(
            scope.locale,
            lambda: resolve.create_tenant(
                scope, input.slug, input.name, input.currency, input.default_locale
            ),
        )
        if created is None:
            return CreateTenantPayload(user_errors=errors)
        # The rest of the answer (its program's tiers, their global ids) is the new tenant's.
        scope.tenant = created.tenant
        return CreateTenantPayload(
            tenant=Tenant(_tenant=created.tenant, _locale=scope.locale),
            admin_api_key=created.admin_api_key,
            events_api_key=created.events_api_key,
            member_token_secret=created.member_token_secret,
            member_token_kid=created.member_token_kid,
        )

    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="Adds a new HS256 secret; older keys stay valid until revoked.",
    )
    async def rotate_member_token_secret(self, info: Info) -> RotateMemberTokenSecretPayload:
        scope = info.context.scope
        result, errors = await attempt(scope.locale, lambda: resolve.rotate_secret(scope))
        if result is None:
            return RotateMemberTokenSecretPayload(user_errors=errors)
        key, secret = result
        tenant = resolve.tenant_of(scope)
        return RotateMemberTokenSecretPayload(
            kid=key.kid, member_token_secret=secret, keys=_keys((*tenant.member_keys, key))
        )

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def add_member_token_public_key(
        self, info: Info, input: AddMemberTokenPublicKeyInput
    ) -> MemberTokenKeysPayload:
        scope = info.context.scope
        key, errors = await attempt(
            scope.locale,
            lambda: resolve.add_public_key(
                scope, input.alg, input.public_key_pem, info.context.public_key_check
            ),
        )
        if key is None:
            return MemberTokenKeysPayload(user_errors=errors)
        return MemberTokenKeysPayload(keys=_keys((*resolve.tenant_of(scope).member_keys, key)))

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def revoke_member_token_key(self, info: Info, kid: str) -> MemberTokenKeysPayload:
        scope = info.context.scope
        keys, errors = await attempt(scope.locale, lambda: resolve.revoke_key(scope, kid))
        if keys is None:
            return MemberTokenKeysPayload(user_errors=errors)
        return MemberTokenKeysPayload(keys=_keys(keys))
