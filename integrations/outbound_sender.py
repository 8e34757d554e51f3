"""Posts outbound webhook deliveries, signed per Standard Webhooks by the `standardwebhooks`
package (`webhook-id`, `webhook-timestamp`, `webhook-signature`).

One httpx client per sender; tests inject a transport (or point it at a local receiver).
Redirects are not followed (a signed body must reach the URL the merchant registered), and a
receiver's failure is an outcome, never an exception."""

from __future__ import annotations

import logging
from datetime import datetime

import httpx
from standardwebhooks import Webhook

from loyalty.webhook_ports import SendOutcome
from loyalty.webhooks import WebhookDelivery, WebhookEndpoint

log = logging.getLogger("loyalty.webhooks")

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
USER_AGENT = "loyalty-webhooks/1"


def signed_headers(secret: str, msg_id: str, at: datetime, body: str) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
    }


class HttpWebhookSender:
    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(
            transport=transport, timeout=TIMEOUT, follow_redirects=False
        )

    async def send(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime
    ) -> SendOutcome:
        headers = signed_headers(endpoint.secret, delivery.event_id, now, delivery.body)
        try:
            response = await self._client.post(
                endpoint.url, content=delivery.body.encode(), headers=headers
            )
        except httpx.HTTPError as exc:
            log.info("webhook %s to %s: %s", delivery.id, endpoint.url, type(exc).__name__)
            return SendOutcome(status_code=None, error=type(exc).__name__)
        return SendOutcome(status_code=response.status_code)

    async def close(self) -> None:
        await self._client.aclose()
