"""Each platform's documented way to prove a delivery came from it, checked on the raw body
before anything parses it. Every comparison is constant-time."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from standardwebhooks.webhooks import Webhook

STANDARD_TOLERANCE = timedelta(minutes=5)


class SignatureRejected(Exception):
    """Missing or wrong proof: answered 401, nothing stored."""


def _hmac(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def verify_salla(secret: str, headers: Mapping[str, str], body: bytes) -> None:
    """X-Salla-Signature: the hex HMAC-SHA256 of the raw body, keyed by the webhook secret."""
    sent = headers.get("x-salla-signature", "").strip().lower()
    if not sent or not hmac.compare_digest(_hmac(secret, body).hex(), sent):
        raise SignatureRejected("salla signature")


def verify_shopify(secret: str, headers: Mapping[str, str], body: bytes) -> None:
    """X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the raw body, keyed by the app's
    client secret."""
    sent = headers.get("x-shopify-hmac-sha256", "").strip()
    expected = base64.b64encode(_hmac(secret, body)).decode()
    if not sent or not hmac.compare_digest(expected, sent):
        raise SignatureRejected("shopify signature")


def verify_zid(secret: str, token: str | None) -> None:
    """Zid signs nothing: the URL the merchant registered carries the connection's secret
    token (`?token=`)."""
    if not token or not hmac.compare_digest(secret.encode(), token.encode()):
        raise SignatureRejected("zid token")


def verify_standard(secret: str, headers: Mapping[str, str], body: bytes, now: datetime) -> str:
    """Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature), signed with the
    `standardwebhooks` package's scheme; the 5-minute tolerance is checked against the
    program's clock. Returns the webhook id."""
    msg_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (msg_id and stamp and signatures):
        raise SignatureRejected("standard webhooks headers")
    try:
        sent_at = datetime.fromtimestamp(int(stamp), tz=now.tzinfo)
        text = body.decode()
    except (ValueError, OverflowError, UnicodeDecodeError) as exc:
        raise SignatureRejected("standard webhooks timestamp or body") from exc
    if abs(now - sent_at) > STANDARD_TOLERANCE:
        raise SignatureRejected("standard webhooks timestamp outside tolerance")
    expected = Webhook(secret).sign(msg_id, sent_at, text).split(",", 1)[1]
    for versioned in signatures.split(" "):
        version, _, signature = versioned.partition(",")
        if version == "v1" and hmac.compare_digest(expected.encode(), signature.encode()):
            return msg_id
    raise SignatureRejected("standard webhooks signature")
