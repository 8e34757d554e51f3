"""Tenant creation and member-token key management."""

from __future__ import annotations

from collections.abc import Callable

from graphql_schema.context import RequestScope
from loyalty.tenants import MemberKey, Tenant
from loyalty.usecases import tenants as usecases


async def create_tenant(
    scope: RequestScope, slug: str, name: str, currency: str, default_locale: str
) -> usecases.CreatedTenant:
    return await usecases.create_tenant(
        scope.deps, slug=slug, name=name, currency=currency, default_locale=default_locale
    )


async def rotate_secret(scope: RequestScope) -> tuple[MemberKey, str]:
    return await usecases.rotate_member_token_secret(scope.deps, scope.require_tenant())


async def add_public_key(
    scope: RequestScope, alg: str, pem: str, check: Callable[[str, str], None]
) -> MemberKey:
    return await usecases.add_member_public_key(
        scope.deps, scope.require_tenant(), alg=alg, pem=pem, check=check
    )


async def revoke_key(scope: RequestScope, kid: str) -> tuple[MemberKey, ...]:
    return await usecases.revoke_member_key(scope.deps, scope.require_tenant(), kid)


def tenant_of(scope: RequestScope) -> Tenant:
    return scope.require_tenant()
