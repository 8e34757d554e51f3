"""Who may call what, declared on fields rather than coded in resolvers.

A presented but invalid credential is refused everywhere (UNAUTHENTICATED); no credential is
UNAUTHENTICATED where one is needed; a valid credential of the wrong kind or scope is
FORBIDDEN."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from graphql_schema.context import Info
from graphql_schema.errors import auth_graphql_error
from loyalty.errors import AuthError, forbidden, unauthenticated
from loyalty.principal import Kind, Principal
from loyalty.tenants import Scope


class _Requires(BasePermission):
    """Subclasses say which principals are allowed; refusals raise coded errors."""

    message = "not allowed"

    def allows(self, principal: Principal) -> bool:
        raise NotImplementedError

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        refusal: AuthError | None = principal.error
        if refusal is None and principal.kind is Kind.ANONYMOUS and principal.tenant is None:
            refusal = unauthenticated()
        if refusal is None and not self.allows(principal):
            refusal = unauthenticated() if principal.kind is Kind.ANONYMOUS else forbidden()
        if refusal is not None:
            raise auth_graphql_error(refusal, info.context.scope.locale)
        return True


class IsMember(_Requires):
    def allows(self, principal: Principal) -> bool:
        return principal.kind is Kind.MEMBER


class IsMerchant(_Requires):
    """Any merchant key (admin or events): checkout integrations hold the events key."""

    def allows(self, principal: Principal) -> bool:
        return principal.kind is Kind.MERCHANT


class HasAdminScope(_Requires):
    def allows(self, principal: Principal) -> bool:
        return principal.kind is Kind.MERCHANT and Scope.ADMIN in principal.scopes


class HasEventsScope(_Requires):
    def allows(self, principal: Principal) -> bool:
        return principal.kind is Kind.MERCHANT and Scope.EVENTS in principal.scopes


class IsPlatform(_Requires):
    def allows(self, principal: Principal) -> bool:
        return principal.kind is Kind.PLATFORM


class InTenant(_Requires):
    """Public: any credential of a tenant, or no credential with X-Tenant."""

    def allows(self, principal: Principal) -> bool:
        return principal.tenant is not None


class IsMemberOrMerchant(_Requires):
    """A member (for what is their own) or any merchant key: e.g. cancelling a coupon."""

    def allows(self, principal: Principal) -> bool:
        return principal.kind in (Kind.MEMBER, Kind.MERCHANT)
