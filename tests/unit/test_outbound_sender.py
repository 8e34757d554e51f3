"""The outbound sender reaches only public addresses, the one it checked, within its deadline
(integrations/outbound_sender.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from integrations.outbound_sender import NOT_PUBLIC, HttpWebhookSender, Resolve
from loyalty.webhook_ports import SendOutcome
from loyalty.webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ENDPOINT = WebhookEndpoint(
    id="whe_1",
    tenant="acme",
    url="https://hooks.acme.example:8443/loyalty?v=1",
    events=frozenset({WebhookEvent.MEMBER_ENROLLED}),
    active=True,
    created_at=NOW,
    updated_at=NOW,
    secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
)
DELIVERY = WebhookDelivery(
    id="whd_1",
    tenant="acme",
    endpoint_id="whe_1",
    event_id="evt_1",
    event=WebhookEvent.MEMBER_ENROLLED,
    body='{"type":"MEMBER_ENROLLED"}',
    created_at=NOW,
)


def dns(*addresses: str, wait: float = 0.0) -> Resolve:
    async def resolve(host: str, port: int) -> list[str]:
        await asyncio.sleep(wait)
        return list(addresses)

    return resolve


class Recorder:
    def __init__(self, wait: float = 0.0) -> None:
        self.requests: list[httpx.Request] = []
        self.wait = wait

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        await asyncio.sleep(self.wait)
        return httpx.Response(204)


async def send(sender: HttpWebhookSender) -> SendOutcome:
    try:
        return await sender.send(ENDPOINT, DELIVERY, NOW)
    finally:
        await sender.close()


async def test_the_request_goes_to_the_checked_address_under_the_endpoints_name() -> None:
    # given a name that resolves to one public address
    seen = Recorder()
    sender = HttpWebhookSender(httpx.MockTransport(seen), resolve=dns("93.184.215.14"))
    # when
    outcome = await send(sender)
    # then it connects to that address, and Host and TLS (SNI, certificate) use the name
    [request] = seen.requests
    assert (outcome.status_code, outcome.ok) == (204, True)
    assert str(request.url) == "https://93.184.215.14:8443/loyalty?v=1"
    assert request.headers["host"] == "hooks.acme.example:8443"
    assert request.extensions["sni_hostname"] == "hooks.acme.example"
    assert request.headers["webhook-id"] == "evt_1"


async def test_a_name_resolving_to_any_private_address_is_not_contacted() -> None:
    # given names that resolve inside the network (alone, or beside a public address)
    for answer in (("10.0.0.7",), ("93.184.215.14", "127.0.0.1"), ("169.254.169.254",), ()):
        seen = Recorder()
        sender = HttpWebhookSender(httpx.MockTransport(seen), resolve=dns(*answer))
        # when
        outcome = await send(sender)
        # then nothing was sent, and the attempt failed with the reason
        assert (outcome.status_code, outcome.error, seen.requests) == (None, NOT_PUBLIC, [])


async def test_an_attempt_ends_at_its_deadline_lookup_and_answer_included() -> None:
    # given a slow name server, and a receiver that answers too slowly
    deadline = timedelta(seconds=0.2)
    slow_dns = HttpWebhookSender(
        httpx.MockTransport(Recorder()), resolve=dns("93.184.215.14", wait=5), deadline=deadline
    )
    slow_answer = HttpWebhookSender(
        httpx.MockTransport(Recorder(wait=5)), resolve=dns("93.184.215.14"), deadline=deadline
    )
    # when
    started = asyncio.get_running_loop().time()
    outcomes = [await send(slow_dns), await send(slow_answer)]
    took = asyncio.get_running_loop().time() - started
    # then both gave up at the deadline
    assert [(o.status_code, o.error) for o in outcomes] == [(None, "Timeout"), (None, "Timeout")]
    assert took < 2
