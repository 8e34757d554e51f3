"""createTenant (platform key), and the member-token keys (admin): list, rotate, add, revoke."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope, IsPlatform
from graphql_schema.tenants import (
    AddMemberTokenPublicKeyInput,
    CreateTenantInput,
    CreateTenantPayload,
    MemberTokenKey,
    MemberTokenKeysPayload,
    RotateMemberTokenSecretPayload,
    Tenant,
    token_keys,
)
from loyalty.usecases import tenants


@strawberry.type
class TenantQuery:
    @strawberry.field(permission_classes=[HasAdminScope])
    def member_token_keys(self, info: Info) -> list[MemberTokenKey]:
        return token_keys(info.context.scope.require_tenant().member_keys)


@strawberry.type
class TenantMutation:
    @strawberry.mutation(permission_classes=[IsPlatform])
    async def create_tenant(self, info: Info, input: CreateTenantInput) -> CreateTenantPayload:
        scope = info.context.scope
        created, errors = await attempt(
            scope.locale,
            lambda: tenants.create_tenant(
                scope.deps,
                slug=input.slug,
                name=input.name,
                currency=input.currency,
                default_locale=input.default_locale,
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
        tenant = scope.require_tenant()
        result, errors = await attempt(
            scope.locale, lambda: tenants.rotate_member_token_secret(scope.deps, tenant)
        )
        if result is None:
            return RotateMemberTokenSecretPayload(user_errors=errors)
        key, secret = result
        return RotateMemberTokenSecretPayload(
            kid=key.kid, member_token_secret=secret, keys=token_keys((*tenant.member_keys, key))
        )

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def add_member_token_public_key(
        self, info: Info, input: AddMemberTokenPublicKeyInput
    ) -> MemberTokenKeysPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        key, errors = await attempt(
            scope.locale,
            lambda: tenants.add_member_public_key(
                scope.deps,
                tenant,
                alg=input.alg,
                pem=input.public_key_pem,
                check=info.context.public_key_check,
            ),
        )
        if key is None:
            return MemberTokenKeysPayload(user_errors=errors)
        return MemberTokenKeysPayload(keys=token_keys((*tenant.member_keys, key)))

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def revoke_member_token_key(self, info: Info, kid: str) -> MemberTokenKeysPayload:
        scope = info.context.scope
        keys, errors = await attempt(
            scope.locale,
            lambda: tenants.revoke_member_key(scope.deps, scope.require_tenant(), kid),
        )
        if keys is None:
            return MemberTokenKeysPayload(user_errors=errors)
        return MemberTokenKeysPayload(keys=token_keys(keys))
