"""Posts outbound webhook deliveries, signed per Standard Webhooks by the `standardwebhooks`
package (`webhook-id`, `webhook-timestamp`, `webhook-signature`).

The server must not be turned into a way into its own network (SSRF): the endpoint's name is
resolved here, every address it resolves to must be public (loyalty/public_hosts.py), and the
request goes to that checked address, with the name kept for the Host header and for TLS
(SNI and certificate checks), so a second lookup cannot swap in another address. Connections
are not kept alive, so none is reused for another name on the same address. Redirects are not
followed (a signed body must reach the URL the merchant registered, and a redirect could point
inside). One attempt, lookup included, ends within `deadline`: the claim on a batch of
deliveries is sized from it (loyalty/usecases/webhook_deliveries.py). A receiver's failure is an
outcome, never an exception.

Tests inject `transport` (to reach a local receiver) and `resolve` (a name server); the
production wiring (api/scheduler.py) passes neither, and no setting turns the check off."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

import httpx
from standardwebhooks import Webhook

from loyalty.public_hosts import is_public_address
from loyalty.webhook_ports import SendOutcome
from loyalty.webhooks import WebhookDelivery, WebhookEndpoint

log = logging.getLogger("loyalty.webhooks")

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DEADLINE = timedelta(seconds=15)  # a slow-dripping receiver cannot stretch an attempt
USER_AGENT = "loyalty-webhooks/1"
NOT_PUBLIC = "address not public"

Resolve = Callable[[str, int], Awaitable[Sequence[str]]]


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def signed_headers(secret: str, msg_id: str, at: datetime, body: str) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
    }


class HttpWebhookSender:
    def __init__(
        self,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        resolve: Resolve = system_resolve,
        deadline: timedelta = DEADLINE,
    ) -> None:
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=TIMEOUT,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self._resolve = resolve
        self.deadline = deadline

    async def send(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime
    ) -> SendOutcome:
        headers = signed_headers(endpoint.secret, delivery.event_id, now, delivery.body)
        url = httpx.URL(endpoint.url)
        try:
            async with asyncio.timeout(self.deadline.total_seconds()):
                addresses = await self._resolve(url.host, url.port or 443)
                if not addresses or not all(is_public_address(a) for a in addresses):
                    log.warning(
                        "webhook %s of %s: %s resolves to %s, not public; not sent",
                        delivery.id,
                        delivery.tenant,
                        url.host,
                        ", ".join(addresses) or "nothing",
                    )
                    return SendOutcome(status_code=None, error=NOT_PUBLIC)
                response = await self._client.post(
                    url.copy_with(host=addresses[0]),
                    content=delivery.body.encode(),
                    headers={**headers, "host": url.netloc.decode("ascii")},
                    extensions={"sni_hostname": url.host},
                )
        except TimeoutError:
            log.info("webhook %s to %s: no answer within %s", delivery.id, url, self.deadline)
            return SendOutcome(status_code=None, error="Timeout")
        except (httpx.HTTPError, OSError) as exc:
            log.info("webhook %s to %s: %s", delivery.id, url, type(exc).__name__)
            return SendOutcome(status_code=None, error=type(exc).__name__)
        return SendOutcome(status_code=response.status_code)

    async def close(self) -> None:
        await self._client.aclose()
