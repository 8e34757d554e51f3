"""OpenTelemetry traces, only when an OTLP endpoint is configured.

With `OTEL_EXPORTER_OTLP_ENDPOINT` unset nothing is instrumented: no ASGI middleware, no
Strawberry extension, no PyMongo listener; the scheduler's spans go to OpenTelemetry's no-op
tracer. Set, requests (ASGI), GraphQL operations and resolvers (Strawberry), database
commands (PyMongo's command monitoring, so the real driver path only) and scheduler jobs
become spans, exported over OTLP/HTTP. The exporter reads the standard OTEL_* variables
(headers, protocol, service name) itself.
"""

from __future__ import annotations

import os

from opentelemetry import trace
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"
_provider: TracerProvider | None = None


def start_tracing(exporter: SpanExporter | None = None) -> TracerProvider:
    """Installs the global tracer provider and instruments PyMongo, once per process, before
    the first client is opened. Tests pass an in-memory exporter."""
    global _provider
    if _provider is not None:
        return _provider
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    service = os.environ.get("OTEL_SERVICE_NAME", "loyalty")
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    PymongoInstrumentor().instrument(tracer_provider=provider)
    _provider = provider
    return provider
