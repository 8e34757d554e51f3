"""The merchant's webhook endpoints: where events go, and the secret that signs them.

A new endpoint gets a Standard Webhooks secret (`whsec_` + 32 random bytes, base64), shown to
the merchant once in the answer and stored only encrypted. Updating an endpoint keeps its
secret; turning a disabled endpoint active again clears the disabling (the merchant looked).
The URL must be https on a public host: `localhost`, local names and private, loopback or
link-local address literals are refused here, and names resolving to them at send time."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.public_hosts import is_public_host
from loyalty.tenants import Tenant
from loyalty.urls import is_https_url
from loyalty.webhooks import WebhookEndpoint, WebhookEvent

MAX_ENDPOINTS = 10


@dataclass(frozen=True)
class EndpointInput:
    id: str | None
    url: str
    events: Sequence[WebhookEvent]
    active: bool


@dataclass(frozen=True)
class Saved:
    endpoint: WebhookEndpoint
    secret: str | None  # only when it was just made: the one time it is shown


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _check(data: EndpointInput) -> None:
    if not is_https_url(data.url):
        raise DomainError(ErrorCode.INSECURE_URL, ("input", "url"))
    if not is_public_host(urlsplit(data.url).hostname or ""):
        raise DomainError(ErrorCode.URL_NOT_PUBLIC, ("input", "url"))
    if not data.events:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "events"), detail="events")


async def upsert_endpoint(deps: Deps, tenant: Tenant, data: EndpointInput) -> Saved:
    _check(data)
    now = deps.clock.now()
    events = frozenset(data.events)
    if data.id is None:
        existing = await deps.webhook_endpoints.list(tenant.slug)
        if len(existing) >= MAX_ENDPOINTS:
            raise DomainError(ErrorCode.TOO_MANY_WEBHOOK_ENDPOINTS, ("input",), max=MAX_ENDPOINTS)
        endpoint = WebhookEndpoint(
            id="whe_" + secrets.token_hex(8),
            tenant=tenant.slug,
            url=data.url,
            events=events,
            active=data.active,
            created_at=now,
            updated_at=now,
            secret=new_secret(),
        )
        await deps.webhook_endpoints.save(endpoint)
        return Saved(endpoint, endpoint.secret)
    found = await deps.webhook_endpoints.get(tenant.slug, data.id)
    if found is None:
        raise DomainError(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, ("input", "id"))
    updated = replace(found, url=data.url, events=events, active=data.active, updated_at=now)
    if data.active and found.disabled_at is not None:
        updated = replace(updated, disabled_at=None, disabled_reason=None, failing_since=None)
    await deps.webhook_endpoints.save(updated)
    return Saved(updated, None)


async def list_endpoints(deps: Deps, tenant: Tenant) -> list[WebhookEndpoint]:
    return await deps.webhook_endpoints.list(tenant.slug)
