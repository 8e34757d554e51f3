"""Merchant API keys: their labels (who acted, in the audit log), creation and revocation."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.errors import UserError
from loyalty import tenants as domain

strawberry.enum(domain.Scope, name="ApiKeyScope")


@strawberry.type(description="A merchant API key; the key itself is shown once, at creation.")
class ApiKey:
    _key: strawberry.Private[domain.ApiKey]

    @strawberry.field(description="Stable and public: names the key in the audit log.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self._key.id)

    @strawberry.field
    def label(self) -> str:
        return self._key.shown_label

    @strawberry.field
    def scopes(self) -> list[domain.Scope]:
        return sorted(self._key.scopes)

    @strawberry.field(description="The key's first characters, to recognise it.")
    def prefix(self) -> str:
        return self._key.prefix

    @strawberry.field
    def created_at(self) -> datetime:
        return self._key.created_at

    @strawberry.field
    def revoked(self) -> bool:
        return self._key.revoked


@strawberry.input
class CreateApiKeyInput:
    label: str
    scopes: list[domain.Scope]


@strawberry.type
class CreateApiKeyPayload:
    api_key: ApiKey | None = None
    secret: str | None = strawberry.field(default=None, description="The key; shown only here.")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RevokeApiKeyPayload:
    api_keys: list[ApiKey] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
