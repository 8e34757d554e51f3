"""Creating tenants and managing their member-token keys."""

from __future__ import annotations

from dataclasses import dataclass, replace

from loyalty.credentials import (
    generate_api_key,
    hash_api_key,
    key_prefix,
    new_kid,
    new_member_token_secret,
)
from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n import SUPPORTED_LOCALES
from loyalty.money import parse_currency
from loyalty.ports import Deps
from loyalty.program import LocalizedText, Program
from loyalty.tenants import ApiKey, MemberKey, Scope, Tenant, validate_slug

MAX_NAME = 120


@dataclass(frozen=True)
class CreatedTenant:
    tenant: Tenant
    admin_api_key: str
    events_api_key: str
    member_token_secret: str
    member_token_kid: str


def _check_name(name: str, field: tuple[str, ...]) -> str:
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.INVALID_INPUT, field, detail="name")
    if len(name) > MAX_NAME:
        raise DomainError(ErrorCode.TOO_LONG, field, max=MAX_NAME)
    return name


def check_locale(locale: str, field: tuple[str, ...]) -> str:
    if locale not in SUPPORTED_LOCALES:
        raise DomainError(ErrorCode.INVALID_LOCALE, field, locale=locale[:16])
    return locale


async def create_tenant(
    deps: Deps, *, slug: str, name: str, currency: str, default_locale: str
) -> CreatedTenant:
    validate_slug(slug)
    name = _check_name(name, ("input", "name"))
    currency = parse_currency(currency, ("input", "currency"))
    check_locale(default_locale, ("input", "defaultLocale"))
    now = deps.clock.now()
    secret = new_member_token_secret()
    key = MemberKey(kid=new_kid(), alg="HS256", secret=secret, public_key_pem=None, created_at=now)
    program = Program(
        name=LocalizedText(ar=name, en=name), currency=currency, default_locale=default_locale
    )
    tenant = Tenant(slug=slug, program=program, member_keys=(key,), created_at=now)
    if not await deps.tenants.insert(tenant):
        raise DomainError(ErrorCode.ALREADY_EXISTS, ("input", "slug"), detail=slug)
    admin_key, events_key = generate_api_key(), generate_api_key()
    for raw, scope in ((admin_key, Scope.ADMIN), (events_key, Scope.EVENTS)):
        await deps.api_keys.insert(
            ApiKey(
                key_hash=hash_api_key(raw),
                tenant=slug,
                scopes=frozenset({scope}),
                prefix=key_prefix(raw),
                created_at=now,
                label=scope.value,
            )
        )
    return CreatedTenant(tenant, admin_key, events_key, secret, key.kid)


async def rotate_member_token_secret(deps: Deps, tenant: Tenant) -> tuple[MemberKey, str]:
    """Adds a new HS256 key; older keys stay valid until revoked (rotation without downtime)."""
    secret = new_member_token_secret()
    key = MemberKey(new_kid(), "HS256", secret, None, deps.clock.now())
    await deps.tenants.save_member_keys(tenant.slug, (*tenant.member_keys, key))
    return key, secret


async def add_member_public_key(
    deps: Deps, tenant: Tenant, *, alg: str, pem: str, check: object
) -> MemberKey:
    """Registers a merchant's own RS256/ES256 public key. `check` validates the PEM (it needs a
    crypto library, which lives outside the domain)."""
    if alg not in ("RS256", "ES256") or not callable(check):
        raise DomainError(ErrorCode.INVALID_PUBLIC_KEY, ("input", "alg"))
    try:
        check(alg, pem)
    except ValueError as exc:
        raise DomainError(ErrorCode.INVALID_PUBLIC_KEY, ("input", "publicKeyPem")) from exc
    key = MemberKey(new_kid(), alg, None, pem, deps.clock.now())
    await deps.tenants.save_member_keys(tenant.slug, (*tenant.member_keys, key))
    return key


async def revoke_member_key(deps: Deps, tenant: Tenant, kid: str) -> tuple[MemberKey, ...]:
    remaining = tuple(k for k in tenant.member_keys if k.kid != kid)
    if len(remaining) == len(tenant.member_keys):
        raise DomainError(ErrorCode.KEY_NOT_FOUND, ("kid",))
    if not remaining:
        raise DomainError(ErrorCode.LAST_KEY, ("kid",))
    await deps.tenants.save_member_keys(tenant.slug, remaining)
    return remaining


def with_program(tenant: Tenant, program: Program) -> Tenant:
    return replace(tenant, program=program)
