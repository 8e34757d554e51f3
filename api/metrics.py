"""Prometheus metrics without a client library: a few counters and one histogram."""

from __future__ import annotations

import time
from collections import defaultdict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.bucket_counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
        self.duration_sum: dict[str, float] = defaultdict(float)
        self.duration_count: dict[str, int] = defaultdict(int)

    def observe(self, method: str, path: str, status: int, seconds: float) -> None:
        self.requests[(method, path, status)] += 1
        self.duration_sum[path] += seconds
        self.duration_count[path] += 1
        counts = self.bucket_counts[path]
        for index, bound in enumerate(BUCKETS):
            if seconds <= bound:
                counts[index] += 1

    def render(self) -> str:
        lines = [
            "# HELP loyalty_http_requests_total HTTP requests by method, path and status.",
            "# TYPE loyalty_http_requests_total counter",
        ]
        for (method, path, status), count in sorted(self.requests.items()):
            lines.append(
                f'loyalty_http_requests_total{{method="{method}",path="{path}",'
                f'status="{status}"}} {count}'
            )
        lines += [
            "# HELP loyalty_http_request_duration_seconds Request latency.",
            "# TYPE loyalty_http_request_duration_seconds histogram",
        ]
        for path, counts in sorted(self.bucket_counts.items()):
            for bound, count in zip(BUCKETS, counts, strict=True):
                lines.append(
                    f'loyalty_http_request_duration_seconds_bucket{{path="{path}",le="{bound}"}}'
                    f" {count}"
                )
            total = self.duration_count[path]
            lines.append(
                f'loyalty_http_request_duration_seconds_bucket{{path="{path}",le="+Inf"}} {total}'
            )
            lines.append(
                f'loyalty_http_request_duration_seconds_sum{{path="{path}"}} '
                f"{self.duration_sum[path]:.6f}"
            )
            lines.append(f'loyalty_http_request_duration_seconds_count{{path="{path}"}} {total}')
        return "\n".join(lines) + "\n"


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
