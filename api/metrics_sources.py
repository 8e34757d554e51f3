"""What the metrics read from the rest of the process: the outbox backlog per tenant (queried
at scrape time) and the hit counts of the in-process caches."""

from __future__ import annotations

from api.auth.verified_tokens import VERIFIED
from api.metrics import Metrics
from loyalty.ports import Deps
from mongo.cached_api_keys import CachedApiKeys
from mongo.cached_badges import CachedBadges
from mongo.cached_rewards import CachedRewards
from mongo.cached_tenants import CachedTenants
from mongo.client import Database
from mongo.tenant_list import tenant_slugs


async def observe_backlog(database: Database, deps: Deps, metrics: Metrics) -> None:
    """One count and one indexed look-up per tenant: a scrape costs O(tenants), not O(rows)."""
    now = deps.clock.now()
    for slug in await tenant_slugs(database.db):
        backlog = await deps.outbox.backlog(slug, now)
        metrics.outbox_backlog.labels(slug).set(backlog.unfinished)
        oldest = backlog.oldest_due_at
        metrics.outbox_oldest.labels(slug).set(
            0.0 if oldest is None else (now - oldest).total_seconds()
        )


def watch_caches(deps: Deps, metrics: Metrics) -> None:
    """Caches that a test or a tool replaced with plain repositories are simply not watched."""
    metrics.watch_cache("member_tokens", VERIFIED)
    if isinstance(deps.api_keys, CachedApiKeys):
        metrics.watch_cache("api_keys", deps.api_keys)
    if isinstance(deps.tenants, CachedTenants):
        metrics.watch_cache("tenants", deps.tenants)
    if isinstance(deps.rewards, CachedRewards):
        metrics.watch_cache("rewards", deps.rewards)
    if isinstance(deps.badges, CachedBadges):
        metrics.watch_cache("badges", deps.badges)
