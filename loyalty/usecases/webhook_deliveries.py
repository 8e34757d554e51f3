"""Sending due webhook deliveries, listing them, and sending one again.

Each attempt is recorded only while the sender's claim still holds the delivery (see
mongo/webhook_deliveries.py), so a sender that stalled and lost it cannot overwrite what its
successor recorded. A failure is retried with backoff and jitter for RETRY_FOR; an endpoint
that has known nothing but failures for RETRY_FOR is disabled, its waiting deliveries stopped,
and the reason shown on the endpoint (`webhookEndpoints`), logged at WARNING for the operator
and counted (`watch`: failed attempts and disabled endpoints, by tenant, on /metrics)."""

from __future__ import annotations

import logging
import random
from datetime import datetime

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.webhook_ports import UNWATCHED, DeliveryPage, SendOutcome, WebhookSender, WebhookWatch
from loyalty.webhooks import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    claim_hold,
    next_attempt,
    should_disable,
)

log = logging.getLogger("loyalty.webhooks")

# Sent one after another within one claim, held for BATCH times the sender's deadline.
BATCH = 10
MAX_BATCHES = 20
GONE = "endpoint removed or not active"


def describe(outcome: SendOutcome) -> str:
    if outcome.status_code is not None:
        return f"HTTP {outcome.status_code}"
    return outcome.error or "no response"


async def deliver_due(
    deps: Deps,
    tenant: Tenant,
    sender: WebhookSender,
    rng: random.Random | None = None,
    watch: WebhookWatch = UNWATCHED,
) -> int:
    """Returns how many attempts were made (delivered or not)."""
    attempts = 0
    endpoints: dict[str, WebhookEndpoint | None] = {}
    hold = claim_hold(BATCH, sender.deadline)
    for _ in range(MAX_BATCHES):
        now = deps.clock.now()
        rows = await deps.webhook_deliveries.claim_due(tenant.slug, now, now + hold, BATCH)
        for row in rows:
            if row.endpoint_id not in endpoints:
                endpoints[row.endpoint_id] = await deps.webhook_endpoints.get(
                    tenant.slug, row.endpoint_id
                )
            endpoint = endpoints[row.endpoint_id]
            if endpoint is None or not endpoint.active or endpoint.disabled_at is not None:
                await _stop(deps, row, GONE if endpoint is None else _why(endpoint))
                continue
            attempts += 1
            if await _attempt(deps, endpoint, row, sender, rng, watch):
                endpoints[row.endpoint_id] = None  # just disabled: the rest stop
        if len(rows) < BATCH:
            break
    return attempts


def _why(endpoint: WebhookEndpoint) -> str:
    return endpoint.disabled_reason or GONE


async def _stop(deps: Deps, row: WebhookDelivery, reason: str) -> None:
    await deps.webhook_deliveries.settle(
        row,
        status=DeliveryStatus.FAILED,
        at=deps.clock.now(),
        status_code=None,
        error=reason,
        next_attempt_at=None,
    )


async def _attempt(
    deps: Deps,
    endpoint: WebhookEndpoint,
    row: WebhookDelivery,
    sender: WebhookSender,
    rng: random.Random | None,
    watch: WebhookWatch,
) -> bool:
    """One attempt; True when it got the endpoint disabled."""
    at = deps.clock.now()
    outcome = await sender.send(endpoint, row, at)
    if outcome.ok:
        await deps.webhook_deliveries.settle(
            row,
            status=DeliveryStatus.DELIVERED,
            at=at,
            status_code=outcome.status_code,
            error=None,
            next_attempt_at=None,
        )
        await deps.webhook_endpoints.record_outcome(row.tenant, endpoint.id, ok=True, at=at)
        return False
    watch.webhook_attempt_failed(row.tenant)
    retry_at = next_attempt(row.attempts + 1, row.first_attempt_at or at, at, rng)
    await deps.webhook_deliveries.settle(
        row,
        status=DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED,
        at=at,
        status_code=outcome.status_code,
        error=outcome.error,
        next_attempt_at=retry_at,
    )
    latest = await deps.webhook_endpoints.record_outcome(row.tenant, endpoint.id, ok=False, at=at)
    if latest is None or not should_disable(latest, at):
        return False
    return await _disable(deps, latest, describe(outcome), at, watch)


async def _disable(
    deps: Deps, endpoint: WebhookEndpoint, last: str, at: datetime, watch: WebhookWatch
) -> bool:
    if not await deps.webhook_endpoints.disable(endpoint.tenant, endpoint.id, at=at, reason=last):
        return False
    watch.webhook_endpoint_disabled(endpoint.tenant)
    stopped = await deps.webhook_deliveries.fail_waiting(endpoint.tenant, endpoint.id, at, last)
    log.warning(
        "webhook endpoint %s of %s disabled: failing since %s, last %s; %d deliveries stopped",
        endpoint.id,
        endpoint.tenant,
        endpoint.failing_since,
        last,
        stopped,
    )
    return True


async def deliveries(
    deps: Deps,
    tenant: Tenant,
    *,
    endpoint_id: str | None,
    status: DeliveryStatus | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> DeliveryPage:
    return await deps.webhook_deliveries.page(
        tenant.slug, endpoint_id=endpoint_id, status=status, after=after, limit=limit
    )


async def redeliver(deps: Deps, tenant: Tenant, delivery_id: str) -> WebhookDelivery:
    """Due again at once, with a fresh retry window (the endpoint must be live to receive it)."""
    found = await deps.webhook_deliveries.get(tenant.slug, delivery_id)
    if found is None:
        raise DomainError(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, ("deliveryId",))
    if not await deps.webhook_deliveries.redeliver(tenant.slug, delivery_id, deps.clock.now()):
        raise DomainError(ErrorCode.IN_PROGRESS)
    again = await deps.webhook_deliveries.get(tenant.slug, delivery_id)
    assert again is not None
    return again
