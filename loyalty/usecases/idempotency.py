"""Run an operation once per idempotency key; a retry gets the first result back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.tenants import Tenant

MAX_KEY = 200


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "idempotencyKey"), detail="key")
    return key


async def run_once(
    deps: Deps,
    tenant: Tenant,
    scope: str,
    key: str,
    fingerprint: str,
    perform: Callable[[], Awaitable[Mapping[str, Any]]],
) -> Mapping[str, Any]:
    """`perform` must itself be idempotent per key (wallet operations are, by operation id), so
    that a retry after a crash, or a concurrent duplicate, finishes the same work exactly once.

    A domain error releases the key: nothing changed, so the same key may be tried again later
    (e.g. a redemption retried after earning the missing points)."""
    check_key(key)
    claim = await deps.idempotency.claim(tenant.slug, scope, key, fingerprint)
    if claim.fingerprint != fingerprint:
        raise DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, ("input", "idempotencyKey"))
    if claim.result is not None:
        return claim.result
    try:
        result = await perform()
    except DomainError:
        if claim.fresh:
            await deps.idempotency.release(tenant.slug, scope, key)
        raise
    await deps.idempotency.complete(tenant.slug, scope, key, result)
    return result
