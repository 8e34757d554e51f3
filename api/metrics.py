"""Prometheus metrics through `prometheus-client`: HTTP traffic, points moved, the outbox
backlog, scheduler lag, webhook failures, rate-limit refusals and cache hit rates.

Each app holds its own registry (tests build many apps in one process). Labels stay low in
cardinality: a tenant slug, a ledger entry type, a job name, a path from a fixed set.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loyalty.ledger import LedgerEntry

MAX_KEPT_SERIES = 256
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class CountingCache(Protocol):
    """An in-process cache that counts its own hits and misses (read at scrape time)."""

    @property
    def hits(self) -> int: ...

    @property
    def misses(self) -> int: ...


class _CacheCollector(Collector):
    def __init__(self) -> None:
        self.caches: list[tuple[str, CountingCache]] = []

    def collect(self) -> Iterable[CounterMetricFamily]:
        lookups = CounterMetricFamily(
            "loyalty_cache_lookups",
            "In-process cache lookups by cache and result.",
            labels=["cache", "result"],
        )
        for name, cache in self.caches:
            lookups.add_metric([name, "hit"], cache.hits)
            lookups.add_metric([name, "miss"], cache.misses)
        yield lookups


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "loyalty_http_requests",
            "HTTP requests by method, path and status.",
            ["method", "path", "status"],
            registry=r,
        )
        self.duration = Histogram(
            "loyalty_http_request_duration_seconds",
            "Request latency.",
            ["path"],
            buckets=BUCKETS,
            registry=r,
        )
        self.points = Counter(
            "loyalty_points",
            "Points moved, by tenant and ledger entry type (issued: EARN and "
            "PENDING; redeemed: REDEEM; expired: EXPIRE).",
            ["tenant", "type"],
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "loyalty_outbox_backlog",
            "Notifications due and not yet sent, by tenant.",
            ["tenant"],
            registry=r,
        )
        self.outbox_oldest = Gauge(
            "loyalty_outbox_oldest_due_age_seconds",
            "How long the longest-waiting due notification has waited, by tenant.",
            ["tenant"],
            registry=r,
        )
        self.scheduler_lag = Gauge(
            "loyalty_scheduler_lag_seconds",
            "How late a job's last run started after it was due.",
            ["job"],
            registry=r,
        )
        self.scheduler_duration = Histogram(
            "loyalty_scheduler_job_duration_seconds",
            "Scheduler job run time.",
            ["job"],
            buckets=(0.01, 0.05, 0.25, 1.0, 5.0, 15.0, 60.0, 300.0),
            registry=r,
        )
        self.webhook_failures = Counter(
            "loyalty_webhook_delivery_failures",
            "Failed outbound webhook delivery attempts.",
            ["tenant"],
            registry=r,
        )
        self.webhook_endpoints_disabled = Counter(
            "loyalty_webhook_endpoints_disabled",
            "Outbound webhook endpoints disabled after failing for 3 days.",
            ["tenant"],
            registry=r,
        )
        self.rate_limited = Counter(
            "loyalty_rate_limit_refusals",
            "Requests refused by the rate limiter, by caller kind.",
            ["kind"],
            registry=r,
        )
        self._caches = _CacheCollector()
        r.register(self._caches)
        self._http_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        # The labelled series are kept (prometheus-client looks them up under a lock on every
        # `labels` call); the method is the client's, so only so many are kept.
        key = (method, path, status)
        series = self._http_series.get(key)
        if series is None:
            series = (self.requests.labels(method, path, str(status)), self.duration.labels(path))
            if len(self._http_series) < MAX_KEPT_SERIES:
                self._http_series[key] = series
        series[0].inc()
        series[1].observe(seconds)

    def moved(self, tenant: str, entries: Sequence[LedgerEntry]) -> None:
        """The points meter (loyalty.ports.PointsMeter): every applied ledger entry once."""
        for entry in entries:
            if entry.points:
                self.points.labels(tenant, entry.type.value).inc(abs(entry.points))

    def webhook_attempt_failed(self, tenant: str) -> None:
        """The webhook watch (loyalty.webhook_ports.WebhookWatch), fed by the send job."""
        self.webhook_failures.labels(tenant).inc()

    def webhook_endpoint_disabled(self, tenant: str) -> None:
        self.webhook_endpoints_disabled.labels(tenant).inc()

    def watch_cache(self, name: str, cache: CountingCache) -> None:
        self._caches.caches.append((name, cache))

    def render(self) -> bytes:
        return generate_latest(self.registry)


KNOWN_PATHS = {"/graphql", "/healthz", "/readyz", "/metrics"}


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            path = scope["path"] if scope["path"] in KNOWN_PATHS else "other"
            self.metrics.observe(scope["method"], path, status, time.perf_counter() - started)
