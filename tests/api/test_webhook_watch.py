"""Operators see outbound webhooks failing: every failed attempt is counted per tenant on
/metrics, and an endpoint disabled after three days of failures is counted and logged at
WARNING, besides being shown to the merchant on `webhookEndpoints`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from api.events import WalletBroker
from api.metrics import Metrics
from api.scheduler import Scheduler
from integrations.outbound_sender import HttpWebhookSender
from loyalty.clock import FrozenClock
from mongo.client import Database
from tests.api.conftest import Api, create_tenant, enroll
from tests.api.test_metrics import open_app, scrape
from tests.api.test_outbound_webhooks import ENDPOINTS, endpoint
from tests.api.webhook_receiver import Receiver, public_dns, running_receiver

FAILURES = "loyalty_webhook_delivery_failures_total"
DISABLED = "loyalty_webhook_endpoints_disabled_total"


@pytest.fixture
async def metered(
    database: Database, clock: FrozenClock, broker: WalletBroker
) -> AsyncIterator[tuple[Api, Metrics, Receiver]]:
    clock.set(datetime.now(UTC).replace(microsecond=0))  # receivers check webhook-timestamp
    async with open_app(database, clock, broker) as (api, metrics), running_receiver() as got:
        yield api, metrics, got


async def tick(api: Api, metrics: Metrics, receiver: Receiver) -> None:
    assert api.database is not None
    sender = HttpWebhookSender(receiver.transport(), resolve=public_dns)
    try:
        await Scheduler(api.database, api.deps, 60, metrics=metrics, webhook_sender=sender).tick()
    finally:
        await sender.close()


def sample(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, tenant: str
) -> float | None:
    return samples.get((name, (("tenant", tenant),)))


async def test_every_failed_attempt_is_counted_for_its_tenant(
    metered: tuple[Api, Metrics, Receiver],
) -> None:
    # given acme's and globex's endpoints, and a receiver that fails twice, then answers 200
    api, metrics, receiver = metered
    acme = await create_tenant(api, "acme")
    globex = await create_tenant(api, "globex")
    await endpoint(api, acme, ["MEMBER_ENROLLED"])
    await endpoint(api, globex, ["MEMBER_ENROLLED"])
    await enroll(api, acme, "c1")
    receiver.answers = [500, 503]
    # when the worker runs three times, a minute apart (acme's retries are due by then)
    await tick(api, metrics, receiver)  # acme: 500
    await enroll(api, globex, "g1")
    for _ in range(2):
        api.clock.advance(timedelta(minutes=1))
        await tick(api, metrics, receiver)  # acme: 503 and globex: 200; then acme: 200
    samples = await scrape(api)
    # then acme's two failures are counted, and nothing for globex, whose attempt got through
    assert len(receiver.received) == 4
    assert (sample(samples, FAILURES, "acme"), sample(samples, FAILURES, "globex")) == (2, None)
    assert sample(samples, DISABLED, "acme") is None


async def test_a_disabled_endpoint_is_counted_and_logged_at_warning(
    metered: tuple[Api, Metrics, Receiver], caplog: pytest.LogCaptureFixture
) -> None:
    # given an endpoint whose receiver always fails
    api, metrics, receiver = metered
    acme = await create_tenant(api, "acme")
    await endpoint(api, acme, ["MEMBER_ENROLLED"])
    receiver.always = 500
    await enroll(api, acme, "c1")
    started = api.clock.now()
    # when the worker runs every 6 hours for four days
    with caplog.at_level(logging.WARNING, logger="loyalty.webhooks"):
        while api.clock.now() - started < timedelta(days=4):
            await tick(api, metrics, receiver)
            api.clock.advance(timedelta(hours=6))
    samples = await scrape(api)
    # then every attempt counted as a failure, the disabling once, with a warning
    assert sample(samples, FAILURES, "acme") == len(receiver.received)
    assert sample(samples, DISABLED, "acme") == 1
    [warning] = [r for r in caplog.records if "disabled" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert " of acme disabled: failing since " in warning.getMessage()
    assert warning.getMessage().endswith("last HTTP 500; 0 deliveries stopped")
    # and the merchant sees it on the endpoint, with no member involved
    body = await api.gql(ENDPOINTS, token=acme.admin, locale="en")
    [shown] = body["data"]["webhookEndpoints"]
    assert (shown["active"], shown["disabledReason"]) == (
        True,
        "Disabled after every delivery failed for 3 days; last response: HTTP 500.",
    )
