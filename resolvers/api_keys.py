"""Root fields of merchant API keys: apiKeys, createApiKey, revokeApiKey (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.api_keys import (
    ApiKey,
    CreateApiKeyInput,
    CreateApiKeyPayload,
    RevokeApiKeyPayload,
)
from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope
from loyalty.usecases import api_keys


@strawberry.type
class ApiKeyQuery:
    @strawberry.field(permission_classes=[HasAdminScope], description="Revoked ones included.")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        scope = info.context.scope
        keys = await scope.deps.api_keys.list(scope.require_tenant().slug)
        return [ApiKey(_key=k) for k in keys]


@strawberry.type
class ApiKeyMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        scope = info.context.scope
        created, errors = await attempt(
            scope.locale,
            lambda: api_keys.create_api_key(
                scope.deps, scope.require_tenant(), label=input.label, scopes=input.scopes
            ),
        )
        if created is None:
            return CreateApiKeyPayload(user_errors=errors)
        key, secret = created
        return CreateApiKeyPayload(api_key=ApiKey(_key=key), secret=secret)

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> RevokeApiKeyPayload:
        scope = info.context.scope
        keys, errors = await attempt(
            scope.locale,
            lambda: api_keys.revoke_api_key(scope.deps, scope.require_tenant(), str(id)),
        )
        if keys is None:
            return RevokeApiKeyPayload(user_errors=errors)
        return RevokeApiKeyPayload(api_keys=[ApiKey(_key=k) for k in keys])
