"""Outbound webhooks reach only the public internet, and a batch's claim outlives its sends.

An endpoint on `localhost`, a local name or a private, loopback or link-local address is
refused when saved (URL_NOT_PUBLIC); a public name that resolves inside the network is not
contacted when sending. A sender holds the batch it claimed for as long as every attempt in it
may take, so no other worker sends the rest of the batch again."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from api.scheduler import Scheduler
from integrations.outbound_sender import NOT_PUBLIC, HttpWebhookSender
from loyalty.usecases.webhook_deliveries import BATCH, deliver_due
from loyalty.usecases.webhook_fanout import fan_out
from loyalty.webhook_ports import SendOutcome
from loyalty.webhooks import WebhookDelivery, WebhookEndpoint
from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.test_outbound_webhooks import ENDPOINTS, UPSERT, URL, deliveries, endpoint
from tests.api.webhook_receiver import Receiver, running_receiver

NOT_PUBLIC_URLS = [
    "https://localhost/hooks",
    "https://LOCALHOST./hooks",
    "https://erp.localhost/hooks",
    "https://printer.local/hooks",
    "https://metadata.google.internal/computeMetadata",
    "https://127.0.0.1:8443/hooks",
    "https://127.1/hooks",
    "https://2130706433/hooks",
    "https://10.0.0.5/hooks",
    "https://192.168.1.20/hooks",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/hooks",
    "https://[fd00::5]/hooks",
    "https://[::ffff:10.0.0.5]/hooks",
]


@pytest.fixture
async def receiver(api: Api) -> AsyncIterator[Receiver]:
    api.clock.set(datetime.now(UTC).replace(microsecond=0))
    async with running_receiver() as running:
        yield running


@pytest.mark.parametrize("url", NOT_PUBLIC_URLS)
async def test_an_endpoint_on_a_local_or_private_host_is_refused(
    api: Api, acme: TenantCreds, url: str
) -> None:
    # when
    body = await api.gql(
        UPSERT, {"input": {"url": url, "events": ["POINTS_EARNED"]}}, token=acme.admin
    )
    # then nothing is saved
    payload = body["data"]["upsertWebhookEndpoint"]
    assert (payload["endpoint"], payload["secret"]) == (None, None)
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("URL_NOT_PUBLIC", ["input", "url"])
    ]
    assert (await api.gql(ENDPOINTS, token=acme.admin))["data"]["webhookEndpoints"] == []


async def test_moving_an_endpoint_to_a_private_host_is_refused_in_both_languages(
    api: Api, acme: TenantCreds
) -> None:
    # given a public endpoint
    endpoint_id, _ = await endpoint(api, acme, ["POINTS_EARNED"])
    moved = {"input": {"id": endpoint_id, "url": "https://10.0.0.5/x", "events": ["POINTS_EARNED"]}}
    # when the merchant points it inside the network
    answers = {
        locale: (await api.gql(UPSERT, moved, token=acme.admin, locale=locale))["data"][
            "upsertWebhookEndpoint"
        ]["userErrors"]
        for locale in ("en", "ar")
    }
    # then it is refused with a message in each language, and the endpoint is unchanged
    assert answers["en"][0]["message"] == (
        "The URL must point to a public address, not localhost or a private network."
    )
    assert answers["ar"][0]["message"] == (
        "يجب أن يشير الرابط إلى عنوان عام على الإنترنت، لا إلى localhost أو شبكة خاصة."
    )
    [shown] = (await api.gql(ENDPOINTS, token=acme.admin))["data"]["webhookEndpoints"]
    assert (shown["id"], shown["url"]) == (endpoint_id, URL)


async def test_a_public_name_resolving_inside_the_network_is_not_contacted(
    api: Api, acme: TenantCreds, receiver: Receiver
) -> None:
    # given an endpoint whose name now resolves to the cloud metadata address
    await endpoint(api, acme, ["MEMBER_ENROLLED"])
    await enroll(api, acme, "c1")

    async def rebound(host: str, port: int) -> list[str]:
        return ["169.254.169.254"]

    sender = HttpWebhookSender(receiver.transport(), resolve=rebound)
    assert api.database is not None
    # when the worker runs
    try:
        done = await Scheduler(api.database, api.deps, 60, webhook_sender=sender).tick()
    finally:
        await sender.close()
    # then nothing reached any server, and the attempt failed with the reason, to be retried
    assert (done["webhooks-send"], receiver.received) == (1, [])
    [waiting] = await deliveries(api, acme)
    assert (waiting["status"], waiting["attempts"], waiting["lastResponseCode"]) == (
        "PENDING",
        1,
        None,
    )
    body = await api.gql("{ webhookDeliveries { edges { node { lastError } } } }", token=acme.admin)
    assert body["data"]["webhookDeliveries"]["edges"][0]["node"]["lastError"] == NOT_PUBLIC


class SlowSender:
    """Every attempt takes the sender's whole deadline; meanwhile a second worker looks for
    due deliveries after each one."""

    deadline = timedelta(seconds=15)

    def __init__(self, api: Api) -> None:
        self.api = api
        self.sent: list[str] = []
        self.taken_by_rival: list[str] = []

    async def send(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime
    ) -> SendOutcome:
        self.api.clock.advance(self.deadline)
        self.sent.append(delivery.id)
        at = self.api.clock.now()
        rival = await self.api.deps.webhook_deliveries.claim_due("acme", at, at, BATCH)
        self.taken_by_rival.extend(row.id for row in rival)
        return SendOutcome(status_code=200)


async def test_a_batch_whose_every_attempt_takes_the_deadline_keeps_its_claim(
    api: Api, acme: TenantCreds
) -> None:
    # given a full batch of deliveries (2.5 minutes of sends at 15 s each)
    await endpoint(api, acme, ["MEMBER_ENROLLED"])
    for n in range(BATCH):
        await enroll(api, acme, f"c{n}")
    tenant = await api.deps.tenants.get("acme")
    assert tenant is not None
    assert await fan_out(api.deps, tenant) == BATCH
    sender = SlowSender(api)
    # when one worker sends them while another keeps looking
    attempts = await deliver_due(api.deps, tenant, sender)
    # then the other worker never got one of them, and each was sent and recorded once
    assert (attempts, len(set(sender.sent)), sender.taken_by_rival) == (BATCH, BATCH, [])
    assert [d["status"] for d in await deliveries(api, acme)] == ["DELIVERED"] * BATCH
