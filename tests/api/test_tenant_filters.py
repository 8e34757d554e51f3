"""Every repository query carries the shard key: a filter names `tenant`, or an `_id` that is
tenant-prefixed ("acme:...") or the slug itself (a tenant's single document), except the few
collections that are not tenant-owned (listed in EXEMPT with the reason, and in
docs/SCALING.md). Recorded over a scenario that drives every root operation of the schema (as
a principal allowed to call it) and a scheduler tick of every job, on a database wrapped to
record each filter it receives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from api.app import Runtime, create_app
from api.events import WalletBroker
from api.scheduler import Scheduler
from api.settings import Settings
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from mongo.client import Database
from mongo.store import build_deps
from tests.api.conftest import PLATFORM_KEY, Api, create_tenant
from tests.security.operations import ALLOWED, PLATFORM, call, document, operations
from tests.security.test_access_matrix import headers, seed

# Collections not owned by one tenant, read by their own key (see docs/SCALING.md).
EXEMPT = {
    "tenants": "the tenant itself, by slug (_id); the scheduler lists all slugs",
    "api_keys": "looked up by the key's hash before the tenant is known",
    "persisted_queries": "the app's query documents by hash, shared by all tenants",
}
FILTERED = frozenset(
    {
        "find",
        "find_one",
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "find_one_and_update",
        "find_one_and_replace",
        "find_one_and_delete",
        "count_documents",
    }
)


class RecordingCollection:
    def __init__(self, real: Any, seen: list[tuple[str, str, Any]]) -> None:
        self._real = real
        self._seen = seen

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._real, name)
        if name in FILTERED:

            def recorded(*args: Any, **kwargs: Any) -> Any:
                where = args[0] if args else kwargs.get("filter", {})
                self._seen.append((self._real.name, name, where))
                return attribute(*args, **kwargs)

            return recorded
        if name == "aggregate":

            def aggregated(pipeline: list[dict[str, Any]], *args: Any, **kwargs: Any) -> Any:
                first = pipeline[0] if pipeline else {}
                self._seen.append((self._real.name, name, first.get("$match", first)))
                return attribute(pipeline, *args, **kwargs)

            return aggregated
        if name == "distinct":

            def distinct(key: str, where: Any = None, *args: Any, **kwargs: Any) -> Any:
                self._seen.append((self._real.name, name, where or {}))
                return attribute(key, where, *args, **kwargs)

            return distinct
        return attribute


class RecordingDb:
    def __init__(self, real: Any, seen: list[tuple[str, str, Any]]) -> None:
        self._real = real
        self._seen = seen

    def __getitem__(self, name: str) -> RecordingCollection:
        return RecordingCollection(self._real[name], self._seen)

    def get_collection(self, name: str, *args: Any, **kwargs: Any) -> RecordingCollection:
        return RecordingCollection(self._real.get_collection(name, *args, **kwargs), self._seen)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def carries_tenant(where: Any, slugs: set[str]) -> bool:
    if not isinstance(where, dict):
        return False
    if "tenant" in where:
        return True
    key = where.get("_id")
    keys = key.get("$in", []) if isinstance(key, dict) else [key]
    # "acme:..." (a tenant's document), or "acme" itself (a tenant's one document, e.g. its
    # theme draft)
    return bool(keys) and all(isinstance(k, str) and k.split(":", 1)[0] in slugs for k in keys)


@pytest.fixture
async def recorded(
    database: Database, clock: FrozenClock
) -> AsyncIterator[tuple[Api, list[tuple[str, str, Any]], Database]]:
    seen: list[tuple[str, str, Any]] = []
    wrapped = Database(database.client, RecordingDb(database.db, seen), database.is_memory)
    broker = WalletBroker()
    deps = build_deps(wrapped, clock, broker, images=PillowImages())
    runtime = Runtime(
        settings=Settings(platform_key=PLATFORM_KEY), database=wrapped, deps=deps, broker=broker
    )
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client=client, deps=deps, clock=clock, database=wrapped), seen, wrapped


async def test_every_repository_query_carries_the_tenant(
    recorded: tuple[Api, list[tuple[str, str, Any]], Database], clock: FrozenClock
) -> None:
    # given two tenants, a member with points and an order
    api, seen, database = recorded
    acme = await create_tenant(api, "acme")
    await create_tenant(api, "globex")
    await seed(api, acme)
    # when every query and mutation is called by a principal allowed to, then the scheduler
    # runs every job a day later
    called = 0
    for kind, name, field in operations():
        if kind == "subscription":
            continue
        principal = sorted(ALLOWED[f"{kind}.{name}"])[0]
        if principal == PLATFORM and name == "createTenant":
            continue  # done above
        query, variables = document(kind, name, field)
        await call(api.client, name, query, variables, headers(principal, acme, api))
        called += 1
    clock.advance(timedelta(days=1))
    await Scheduler(database, api.deps, interval=60).tick()
    # then every filter carries the tenant, except in the exempt collections
    slugs = {"acme", "globex"}
    missing = sorted(
        {
            f"{collection}.{method} {where!r}"
            for collection, method, where in seen
            if collection not in EXEMPT and not carries_tenant(where, slugs)
        }
    )
    assert called > 50
    assert len({collection for collection, _, _ in seen}) > 30
    assert missing == [], "\n".join(missing)
