"""Who is calling: verifies the request's credentials (member JWT, API key, platform key) and
turns them into a Principal (loyalty/principal.py), or one carrying an AuthError.

Authorization: Bearer <member JWT | lk_ merchant key | platform key>; no token means
anonymous, acting in the tenant named by X-Tenant (public queries only).
"""

from __future__ import annotations

from datetime import timedelta

from api.auth.member_tokens import TokenRejected
from api.auth.verified_tokens import VERIFIED
from loyalty.credentials import hash_api_key, looks_like_api_key, same_secret
from loyalty.errors import AuthError, DomainError, ErrorCode, unauthenticated
from loyalty.ports import Deps
from loyalty.principal import ANONYMOUS, Kind, Principal
from loyalty.usecases.members import enrol

MAX_TENANT_HEADER = 64


def bearer_token(authorization: str | None) -> str | None:
    """The presented token, or None (an empty string for a malformed header)."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return ""
    return token.strip()


async def authenticate(
    deps: Deps,
    *,
    authorization: str | None,
    tenant_header: str | None,
    platform_key: str | None,
) -> Principal:
    try:
        return await _authenticate(deps, authorization, tenant_header, platform_key)
    except AuthError as exc:
        return Principal(Kind.ANONYMOUS, error=exc)


async def _authenticate(
    deps: Deps, authorization: str | None, tenant_header: str | None, platform_key: str | None
) -> Principal:
    token = bearer_token(authorization)
    if token is None:
        if not tenant_header:
            return ANONYMOUS
        tenant = await deps.tenants.get(tenant_header.strip()[:MAX_TENANT_HEADER])
        if tenant is None:
            raise unauthenticated("unknown tenant")
        return Principal(Kind.ANONYMOUS, tenant=tenant)
    if not token:
        raise unauthenticated("malformed authorization header")
    if platform_key and same_secret(token, platform_key):
        return Principal(Kind.PLATFORM)
    if looks_like_api_key(token):
        key = await deps.api_keys.find(hash_api_key(token))
        if key is None:
            raise unauthenticated("unknown api key")
        tenant = await deps.tenants.get(key.tenant)
        if tenant is None:
            raise unauthenticated("tenant removed")
        return Principal(Kind.MERCHANT, tenant=tenant, scopes=key.scopes, api_key=key)
    return await _member(deps, token)


async def _member(deps: Deps, token: str) -> Principal:
    try:
        slug = VERIFIED.issuer(token)
    except TokenRejected as exc:
        raise unauthenticated(exc.reason) from exc
    tenant = await deps.tenants.get(slug[:MAX_TENANT_HEADER])
    if tenant is None:
        raise unauthenticated("unknown_issuer")
    try:
        claims = VERIFIED.verify(
            token,
            tenant_slug=tenant.slug,
            keys=tenant.member_keys,
            now=deps.clock.now(),
            max_lifetime=timedelta(days=tenant.program.member_token_max_days),
        )
    except TokenRejected as exc:
        raise unauthenticated(exc.reason) from exc
    known = VERIFIED.member_id(token)
    member = None if known is None else await deps.members.get(tenant.slug, known)
    if member is None or member.external_id != claims.subject:  # first use, or erased
        try:
            member = await enrol(deps, tenant, claims.subject)
        except DomainError as exc:
            if exc.code is not ErrorCode.MEMBER_ERASED:
                raise
            raise unauthenticated("member erased") from exc  # until the merchant re-enrols them
        VERIFIED.note_member(token, member.id)
    return Principal(Kind.MEMBER, tenant=tenant, member=member)
