"""Merchant API keys beyond the two a tenant starts with: one per integration or person, each
with a label, so that the audit log says who acted and a leaked key can be revoked alone."""

from __future__ import annotations

from loyalty.credentials import generate_api_key, hash_api_key, key_prefix
from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.tenants import ApiKey, Scope, Tenant

MAX_LABEL = 80
MAX_KEYS = 50


def check_label(label: str) -> str:
    label = label.strip()
    if not label or not label.isprintable():
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "label"), detail="label")
    if len(label) > MAX_LABEL:
        raise DomainError(ErrorCode.TOO_LONG, ("input", "label"), max=MAX_LABEL)
    return label


async def create_api_key(
    deps: Deps, tenant: Tenant, *, label: str, scopes: list[Scope]
) -> tuple[ApiKey, str]:
    """The raw key is returned once; only its hash is stored."""
    label = check_label(label)
    if not scopes:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "scopes"), detail="scopes")
    existing = await deps.api_keys.list(tenant.slug)
    if sum(1 for k in existing if not k.revoked) >= MAX_KEYS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input",), min=0, max=MAX_KEYS)
    raw = generate_api_key()
    key = ApiKey(
        key_hash=hash_api_key(raw),
        tenant=tenant.slug,
        scopes=frozenset(scopes),
        prefix=key_prefix(raw),
        created_at=deps.clock.now(),
        label=label,
    )
    await deps.api_keys.insert(key)
    return key, raw


async def revoke_api_key(deps: Deps, tenant: Tenant, key_id: str) -> list[ApiKey]:
    """The last valid admin key stays: without it nobody could manage the program."""
    keys = await deps.api_keys.list(tenant.slug)
    target = next((k for k in keys if k.id == key_id and not k.revoked), None)
    if target is None:
        raise DomainError(ErrorCode.KEY_NOT_FOUND, ("id",))
    admins = [k for k in keys if not k.revoked and Scope.ADMIN in k.scopes]
    if Scope.ADMIN in target.scopes and len(admins) == 1:
        raise DomainError(ErrorCode.LAST_KEY, ("id",))
    if not await deps.api_keys.revoke(tenant.slug, key_id):
        raise DomainError(ErrorCode.KEY_NOT_FOUND, ("id",))
    return await deps.api_keys.list(tenant.slug)
