"""Run by tests/api/test_tracing.py in a process of its own (a tracer provider and PyMongo's
listeners are process-wide): one query and one scheduler tick over the dev store, with spans
collected in memory and printed as JSON lines (name, trace id, parent span id, span id)."""

from __future__ import annotations

import asyncio
import json

import httpx
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.tracing import start_tracing

exporter = InMemorySpanExporter()
provider = start_tracing(exporter)  # before any client opens

from api.app import build_runtime, create_app  # noqa: E402
from api.scheduler import Scheduler  # noqa: E402
from api.settings import Settings  # noqa: E402
from mongo.devstore.server import DevStore, build_engine  # noqa: E402
from mongo.indexes import ensure_indexes  # noqa: E402


async def run(port: int) -> None:
    settings = Settings(
        mongodb_uri=f"mongodb://127.0.0.1:{port}/", platform_key="p" * 32, traced=True
    )
    runtime = build_runtime(settings)
    await ensure_indexes(runtime.database.db)
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        await client.post(  # a tenant, so that each job has one to run for
            "/graphql",
            json={
                "query": "mutation($i: CreateTenantInput!) { createTenant(input: $i) "
                "{ userErrors { code } } }",
                "variables": {
                    "i": {"slug": "acme", "name": "Acme", "currency": "SAR", "defaultLocale": "en"}
                },
            },
            headers={"Authorization": "Bearer " + "p" * 32},
        )
        await client.post(
            "/graphql",
            json={"query": "query Start { program { name } }"},
            headers={"X-Tenant": "acme"},
        )
    await Scheduler(runtime.database, runtime.deps, 60).tick()
    await runtime.database.close()


def main() -> None:
    store = DevStore(build_engine(None), "127.0.0.1", 0)
    store.start()
    try:
        asyncio.run(run(store.port))
    finally:
        store.stop()
    provider.force_flush()
    for span in exporter.get_finished_spans():
        context = span.get_span_context()
        assert context is not None
        print(
            json.dumps(
                {
                    "name": span.name,
                    "trace": context.trace_id,
                    "span": context.span_id,
                    "parent": span.parent.span_id if span.parent else None,
                }
            )
        )


if __name__ == "__main__":
    main()
