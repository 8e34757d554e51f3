"""Connecting a store: the secret its webhooks are verified with, kept encrypted, and the stage
at which its orders earn."""

from __future__ import annotations

import base64
import binascii
import string

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.stores import OrderStage, StoreConnection, StorePlatform
from loyalty.tenants import Tenant

MIN_SECRET = 16
MAX_SECRET = 256
MAX_STORE_ID = 128
STANDARD_PREFIX = "whsec_"
MIN_STANDARD_KEY_BYTES = 24
# Zid's secret rides in the webhook URL (`?token=`): characters a URL carries as they are.
URL_SAFE = frozenset(string.ascii_letters + string.digits + "-._~")


def check_secret(platform: StorePlatform, secret: str) -> str:
    field = ("input", "webhookSecret")
    refused = DomainError(ErrorCode.INVALID_WEBHOOK_SECRET, field, min=MIN_SECRET, max=MAX_SECRET)
    if not MIN_SECRET <= len(secret) <= MAX_SECRET or not secret.isprintable() or " " in secret:
        raise refused
    if platform is StorePlatform.ZID and not set(secret) <= URL_SAFE:
        raise refused
    if platform is StorePlatform.CUSTOM:
        # Standard Webhooks secrets are "whsec_" and base64 of the key bytes.
        if not secret.startswith(STANDARD_PREFIX):
            raise refused
        try:
            key = base64.b64decode(secret[len(STANDARD_PREFIX) :], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise refused from exc
        if len(key) < MIN_STANDARD_KEY_BYTES:
            raise refused
    return secret


async def connect_store(
    deps: Deps,
    tenant: Tenant,
    *,
    platform: StorePlatform,
    webhook_secret: str,
    store_id: str | None,
    earn_on: OrderStage,
) -> StoreConnection:
    """Connecting again replaces the secret and stage; the event counts carry on."""
    check_secret(platform, webhook_secret)
    if store_id is not None:
        store_id = store_id.strip() or None
    if store_id is not None and (len(store_id) > MAX_STORE_ID or not store_id.isprintable()):
        raise DomainError(ErrorCode.TOO_LONG, ("input", "storeId"), max=MAX_STORE_ID)
    connection = StoreConnection(
        tenant=tenant.slug,
        platform=platform,
        store_id=store_id,
        earn_on=earn_on,
        secret=deps.secrets.seal(webhook_secret),
        connected_at=deps.clock.now(),
    )
    return await deps.store_connections.save(connection)


async def disconnect_store(deps: Deps, tenant: Tenant, platform: StorePlatform) -> StoreConnection:
    connection = await deps.store_connections.get(tenant.slug, platform)
    if connection is None or not await deps.store_connections.delete(tenant.slug, platform):
        raise DomainError(ErrorCode.STORE_NOT_CONNECTED, ("platform",))
    return connection


async def store_connections(deps: Deps, tenant: Tenant) -> list[StoreConnection]:
    return await deps.store_connections.list(tenant.slug)


def webhook_url(public_url: str, deps: Deps, connection: StoreConnection) -> str:
    """The URL to paste into the platform. Zid signs nothing, so its URL carries the secret
    token (shown to the merchant's admin only)."""
    url = f"{public_url}/webhooks/{connection.platform.path}/{connection.tenant}"
    if connection.platform is StorePlatform.ZID:
        url += f"?token={deps.secrets.open(connection.secret)}"
    return url
