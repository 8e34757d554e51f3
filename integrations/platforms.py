"""One entry for every platform: check the proof on the raw body, then read it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from integrations import custom, salla, shopify, zid
from integrations.signatures import verify_salla, verify_shopify, verify_standard, verify_zid
from loyalty.store_events import Delivery
from loyalty.stores import StorePlatform


def verify_and_read(
    platform: StorePlatform,
    secret: str,
    headers: Mapping[str, str],
    query: Mapping[str, str],
    body: bytes,
    now: datetime,
    zone: str,
) -> Delivery:
    """Raises SignatureRejected (nothing may be read) or MalformedPayload (signed, but not
    the documented shape). `headers` keys are lower case; `zone` is the program's time zone,
    for platform times that carry neither an offset nor a zone."""
    if platform is StorePlatform.SALLA:
        verify_salla(secret, headers, body)
        return salla.read(body, now, zone)
    if platform is StorePlatform.SHOPIFY:
        verify_shopify(secret, headers, body)
        return shopify.read(headers, body, now)
    if platform is StorePlatform.ZID:
        verify_zid(secret, query.get("token"))
        return zid.read(body, now, zone)
    webhook_id = verify_standard(secret, headers, body, now)
    return custom.read(webhook_id, body, now)
