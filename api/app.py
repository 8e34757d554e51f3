"""The Starlette application factory: one database client, one schema, per process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import timedelta

from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from api.console_routes import console_mount
from api.events import WalletBroker
from api.exports import export_endpoints
from api.graphql_errors import LoggingSchema
from api.graphql_view import LoyaltyGraphQL
from api.icons import icon_endpoint
from api.log_redaction import register_secret
from api.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from api.metrics import Metrics, MetricsMiddleware
from api.metrics_sources import observe_backlog, watch_caches
from api.persisted_queries import PersistedQueries
from api.push import push_sender
from api.rate_limit import Limiter, RateLimiter
from api.scheduler import Scheduler
from api.settings import Settings
from api.shared_rate_limit import SharedRateLimiter
from api.tracing import start_tracing
from api.webhook_routes import webhook_route
from graphql_schema.schema import MAX_TOKENS, build_schema
from imaging.pillow_images import PillowImages
from integrations.secret_box import FernetSecretBox
from loyalty.clock import Clock, SystemClock
from loyalty.ports import Deps
from loyalty.stores import UNWIRED_SECRETS
from loyalty.wallet_events import WalletFeed
from mongo.change_feed import ChangeFeed
from mongo.client import Database, open_database
from mongo.indexes import ensure_indexes
from mongo.persisted_queries import MongoPersistedQueries
from mongo.rate_windows import MongoRateWindows
from mongo.store import build_deps
from mongo.tenant_changes import TenantChanges

log = logging.getLogger("loyalty")

# A WebSocket must say connection_init promptly, and one connection may hold only so many
# subscriptions: idle or greedy sockets would otherwise pin memory and broker queues.
CONNECTION_INIT_TIMEOUT = timedelta(seconds=10)
MAX_SUBSCRIPTIONS_PER_CONNECTION = 5


@dataclass
class Runtime:
    """Everything the process holds; the CLI's demo seeds through the same one."""

    settings: Settings
    database: Database
    deps: Deps
    broker: WalletFeed
    metrics: Metrics = field(default_factory=Metrics)
    # On a shared store (not memory://): the cross-process feed behind `broker`, started and
    # stopped with the process, and rate limits counted in the store. None: in-process ones.
    feed: ChangeFeed | None = None
    limiter: Limiter | None = None

    def __post_init__(self) -> None:
        watch_caches(self.deps, self.metrics)


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, database: Database | None = None
) -> Runtime:
    if settings.traced:
        start_tracing()  # before the client opens: PyMongo's listeners are registered then
    db = database or open_database(settings.mongodb_uri, settings.db_name)
    clock = clock or SystemClock()
    metrics = Metrics()
    changes = TenantChanges()
    local = WalletBroker()
    feed = None if db.is_memory else ChangeFeed(db.db, local, changes, clock)
    broker: WalletFeed = feed or local
    deps = build_deps(
        db,
        clock,
        broker,
        images=PillowImages(),
        meter=metrics,
        secrets=FernetSecretBox.for_settings(settings.secret_keys),
        changes=changes,
    )
    limiter = None
    if not db.is_memory:
        limiter = SharedRateLimiter(
            MongoRateWindows(db.db, clock),
            clock,
            scale=settings.rate_limit_scale,
            on_refused=lambda kind: metrics.rate_limited.labels(kind).inc(),
        )
    return Runtime(
        settings=settings,
        database=db,
        deps=deps,
        broker=broker,
        metrics=metrics,
        feed=feed,
        limiter=limiter,
    )


def create_app(runtime: Runtime, *, with_worker: bool = False) -> Starlette:
    settings = runtime.settings
    if runtime.deps.secrets is UNWIRED_SECRETS:  # a runtime assembled by hand (tests)
        secrets = FernetSecretBox.for_settings(settings.secret_keys)
        runtime.deps = replace(runtime.deps, secrets=secrets)
    if isinstance(runtime.deps.secrets, FernetSecretBox):
        runtime.deps.secrets.warn_if_development()  # a server on the public development key
    register_secret(settings.platform_key)  # its shape is the operator's: redact it exactly
    schema = build_schema(
        production=settings.is_production, schema_class=LoggingSchema, traced=settings.traced
    )
    graphql = LoyaltyGraphQL(
        schema,
        deps=runtime.deps,
        broker=runtime.broker,
        platform_key=settings.platform_key,
        persisted=PersistedQueries(
            MongoPersistedQueries(runtime.database.db), max_tokens=MAX_TOKENS
        ),
        limiter=runtime.limiter
        or RateLimiter(
            runtime.deps.clock,
            scale=settings.rate_limit_scale,
            on_refused=lambda kind: runtime.metrics.rate_limited.labels(kind).inc(),
        ),
        public_url=settings.public_url,
        production=settings.is_production,
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=("graphql-transport-ws",),
        multipart_uploads_enabled=True,
        connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
        max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_CONNECTION,
        # Apps' pages live on the merchants' own origins. The origin check guards sockets that
        # ride on cookies; ours carry their credential in connection_init, never ambiently.
        allowed_origins=("*",),
    )

    members_csv, ledger_csv = export_endpoints(runtime.deps, settings.platform_key)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        if await runtime.database.ping():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "database unreachable"}, status_code=503)

    async def metrics(request: Request) -> Response:
        await observe_backlog(runtime.database, runtime.deps, runtime.metrics)
        return Response(runtime.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await ensure_indexes(runtime.database.db)
        if runtime.feed is not None:
            runtime.feed.start()
        worker: asyncio.Task[None] | None = None
        senders = contextlib.AsyncExitStack()
        if with_worker:
            scheduler = Scheduler(
                runtime.database,
                runtime.deps,
                settings.scheduler_interval_seconds,
                await senders.enter_async_context(push_sender(settings)),
                metrics=runtime.metrics,
            )
            worker = asyncio.create_task(scheduler.run_forever())
        try:
            yield
        finally:
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
            await senders.aclose()
            if runtime.feed is not None:
                await runtime.feed.stop()
            await runtime.database.close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql),  # every method: the view answers 405 as GraphQL
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/icons/{tenant}/{name}", icon_endpoint(runtime.deps), methods=["GET"]),
            Route("/export/members.csv", members_csv, methods=["GET"]),
            Route("/export/ledger.csv", ledger_csv, methods=["GET"]),
            webhook_route(runtime.deps),
            console_mount(),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(MetricsMiddleware, metrics=runtime.metrics)
    if settings.traced:
        app.add_middleware(OpenTelemetryMiddleware)
    return app
