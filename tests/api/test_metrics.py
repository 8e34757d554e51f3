"""/metrics is prometheus-client's exposition, with the business metrics operators watch."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.app import Runtime, create_app
from api.events import WalletBroker
from api.metrics import Metrics
from api.scheduler import Scheduler
from api.settings import Settings
from imaging.pillow_images import PillowImages
from integrations.secret_box import SecretBox
from loyalty.clock import FrozenClock
from loyalty.notifications import Notification, NotificationKind
from mongo.client import Database
from mongo.store import build_deps
from tests.api.conftest import PLATFORM_KEY, Api, create_tenant, enroll

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@contextlib.asynccontextmanager
async def open_app(
    database: Database, clock: FrozenClock, broker: WalletBroker, rate_limit_scale: float = 1
) -> AsyncIterator[tuple[Api, Metrics]]:
    """The app as build_runtime wires it: the repositories report points to the metrics."""
    metrics = Metrics()
    deps = build_deps(
        database,
        clock,
        broker,
        images=PillowImages(),
        meter=metrics,
        cipher=SecretBox.from_setting(None),
    )
    settings = Settings(platform_key=PLATFORM_KEY, rate_limit_scale=rate_limit_scale)
    runtime = Runtime(
        settings=settings, database=database, deps=deps, broker=broker, metrics=metrics
    )
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client=client, deps=deps, clock=clock, database=database), metrics


@pytest.fixture
async def metered(
    database: Database, clock: FrozenClock, broker: WalletBroker
) -> AsyncIterator[tuple[Api, Metrics]]:
    async with open_app(database, clock, broker) as opened:
        yield opened


async def scrape(api: Api) -> Samples:
    response = await api.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


ORDER = """mutation { recordOrder(input: {memberExternalId: "m-1", orderId: "o-1",
  total: "100", currency: "SAR"}) { pointsEarned pending userErrors { code } } }"""
ADJUST = """mutation { adjustPoints(input: {memberExternalId: "m-1", points: -30,
  reason: "goodwill", idempotencyKey: "adj-1"}) { userErrors { code } } }"""


async def test_points_moved_are_counted_by_tenant_and_type_once(
    metered: tuple[Api, Metrics],
) -> None:
    # given a tenant whose program credits orders at once
    api, _ = metered
    acme = await create_tenant(api, "acme")
    await api.gql(
        "mutation { updateProgram(input: {pendingDays: 0}) { userErrors { code } } }",
        token=acme.admin,
    )
    await enroll(api, acme, "m-1")
    # when an order earns, is sent again (a retry), and an adjustment takes 30 back
    first = await api.gql(ORDER, token=acme.events)
    await api.gql(ORDER, token=acme.events)
    await api.gql(ADJUST, token=acme.admin)
    samples = await scrape(api)
    # then the retry moved nothing, so counted nothing
    earned = first["data"]["recordOrder"]["pointsEarned"]
    assert earned == 100
    assert samples[("loyalty_points_total", (("tenant", "acme"), ("type", "EARN")))] == 100
    assert samples[("loyalty_points_total", (("tenant", "acme"), ("type", "ADJUST")))] == 30


async def test_rate_limit_refusals_are_counted_by_caller_kind(
    database: Database, clock: FrozenClock, broker: WalletBroker
) -> None:
    async with open_app(database, clock, broker, rate_limit_scale=0.01) as (api, _):
        # given rates scaled to 1% (anonymous burst: 1.2 requests)
        # when an anonymous caller sends three queries at once
        statuses = [
            (await api.client.post("/graphql", json={"query": "{ __typename }"})).status_code
            for _ in range(3)
        ]
        samples = await scrape(api)
    # then the two refused are counted (the scrape itself is not rate limited)
    assert statuses == [200, 429, 429]
    assert samples[("loyalty_rate_limit_refusals_total", (("kind", "anonymous"),))] == 2


async def test_outbox_backlog_and_oldest_due_age_per_tenant(
    metered: tuple[Api, Metrics], clock: FrozenClock
) -> None:
    # given two notifications waiting for acme: one due 90 s ago, one due tomorrow
    api, _ = metered
    await create_tenant(api, "acme")
    now = clock.now()
    for key, due in (("a", now - timedelta(seconds=90)), ("b", now + timedelta(days=1))):
        await api.deps.outbox.enqueue(
            Notification(
                tenant="acme",
                member_id="m",
                kind=NotificationKind.CAMPAIGN,
                dedupe_key=key,
                locale="en",
                title="t",
                body="b",
                created_at=now,
                not_before=due,
            )
        )
    # when
    samples = await scrape(api)
    # then
    assert samples[("loyalty_outbox_backlog", (("tenant", "acme"),))] == 2
    assert samples[("loyalty_outbox_oldest_due_age_seconds", (("tenant", "acme"),))] == 90


async def test_cache_lookups_show_hits_once_the_tenant_is_cached(
    metered: tuple[Api, Metrics],
) -> None:
    # given a tenant read once (cached for 5 s)
    api, _ = metered
    await create_tenant(api, "acme")
    await api.gql("{ program { name } }", tenant="acme")
    before = await scrape(api)
    # when it is read again
    await api.gql("{ program { name } }", tenant="acme")
    after = await scrape(api)
    # then only hits grew
    hit = ("loyalty_cache_lookups_total", (("cache", "tenants"), ("result", "hit")))
    miss = ("loyalty_cache_lookups_total", (("cache", "tenants"), ("result", "miss")))
    assert after[miss] == before[miss]
    assert after[hit] > before[hit]


async def test_scheduler_lag_is_how_late_each_job_started(
    metered: tuple[Api, Metrics], database: Database, clock: FrozenClock
) -> None:
    # given a scheduler ticking every 60 s that ran once on time
    api, metrics = metered
    scheduler = Scheduler(database, api.deps, 60, metrics=metrics)
    await scheduler.tick()
    first = await scrape(api)
    # when its next tick comes 67 s later (7 s late)
    clock.advance(timedelta(seconds=67))
    await scheduler.tick()
    second = await scrape(api)
    # then
    settle = ("loyalty_scheduler_lag_seconds", (("job", "settle"),))
    assert first[settle] == 0
    assert second[settle] == 7
    assert second[("loyalty_scheduler_job_duration_seconds_count", (("job", "settle"),))] == 2
