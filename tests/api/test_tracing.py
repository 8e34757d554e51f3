"""OpenTelemetry: with an exporter configured, a request, its GraphQL operation, its database
calls and each scheduler job become spans of the right traces."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def traced_spans() -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.api.traced_process"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_a_query_its_database_calls_and_scheduler_jobs_are_spans() -> None:
    # when one query and one scheduler tick run with an in-memory exporter
    spans = traced_spans()
    # then the query's operation and its tenant look-up share the request's trace
    by_name = {span["name"]: span for span in spans}
    request = by_name["POST /graphql"]
    in_request = {span["name"] for span in spans if span["trace"] == request["trace"]}
    assert {"GraphQL Query: Start", "GraphQL Resolving: program", "loyalty.find"} <= in_request
    # and each job is a span whose database calls (its lease, its work) are its children
    settle = by_name["job settle"]
    children = {span["name"] for span in spans if span["parent"] == settle["span"]}
    assert any(name.startswith("loyalty.") for name in children), children
    assert settle["trace"] != request["trace"]


def test_tracing_is_off_unless_an_endpoint_is_configured(monkeypatch: Any) -> None:
    # given no OTLP endpoint, then one
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    off = Settings.from_env(read_dotenv=False)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    on = Settings.from_env(read_dotenv=False)
    # then
    assert (off.traced, on.traced) == (False, True)
