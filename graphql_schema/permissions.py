"""Who may call what, declared on fields rather than coded in resolvers."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from api.auth.principal import Kind
from graphql_schema.context import Info
from graphql_schema.errors import auth_graphql_error
from loyalty.errors import AuthError, forbidden, unauthenticated
from loyalty.tenants import Scope


def _refuse(info: Info, exc: AuthError) -> None:
    raise auth_graphql_error(exc, info.context.scope.locale)


def _check_presented(info: Info) -> None:
    error = info.context.principal.error
    if error is not None:
        _refuse(info, error)


class IsMember(BasePermission):
    message = "member token required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _check_presented(info)
        principal = info.context.principal
        if principal.kind is Kind.ANONYMOUS:
            _refuse(info, unauthenticated())
        if principal.kind is not Kind.MEMBER:
            _refuse(info, forbidden())
        return True


class _HasScope(BasePermission):
    scope: Scope
    message = "merchant API key with the right scope required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _check_presented(info)
        principal = info.context.principal
        if principal.kind is Kind.ANONYMOUS:
            _refuse(info, unauthenticated())
        if principal.kind is not Kind.MERCHANT or self.scope not in principal.scopes:
            _refuse(info, forbidden())
        return True


class HasAdminScope(_HasScope):
    scope = Scope.ADMIN


class HasEventsScope(_HasScope):
    scope = Scope.EVENTS


class IsMerchant(BasePermission):
    """Any merchant key (admin or events): checkout integrations hold the events key."""

    message = "merchant API key required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _check_presented(info)
        principal = info.context.principal
        if principal.kind is Kind.ANONYMOUS:
            _refuse(info, unauthenticated())
        if principal.kind is not Kind.MERCHANT:
            _refuse(info, forbidden())
        return True


class IsPlatform(BasePermission):
    message = "platform key required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _check_presented(info)
        principal = info.context.principal
        if principal.kind is Kind.ANONYMOUS:
            _refuse(info, unauthenticated())
        if principal.kind is not Kind.PLATFORM:
            _refuse(info, forbidden())
        return True


class InTenant(BasePermission):
    """Public: any credential of a tenant, or no credential with X-Tenant."""

    message = "X-Tenant header or a tenant credential required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _check_presented(info)
        if info.context.principal.tenant is None:
            _refuse(info, unauthenticated())
        return True
