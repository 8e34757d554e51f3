"""Turning recorded member events into webhook deliveries, one per (endpoint, event).

The job reads the member event log as the consumer "webhooks" (each event once, from its own
cursor) and writes a delivery for every live endpoint that wants the event. The delivery's id is
derived from the endpoint and the event, so a run that died after writing some deliveries and
before marking the event handled writes nothing twice when it runs again. Events that happened
before an endpoint was created are not sent to it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.webhooks import (
    SOURCES,
    WebhookDelivery,
    WebhookEndpoint,
    delivery_id,
    event_id,
)

CONSUMER = "webhooks"
BATCH = 200
MAX_BATCHES = 20
TIER_CHANGES = {
    MemberEventKind.TIER_UPGRADED: "UPGRADED",
    MemberEventKind.TIER_DOWNGRADED: "DOWNGRADED",
}


async def fan_out(deps: Deps, tenant: Tenant) -> int:
    """Returns how many deliveries were written."""
    live = [e for e in await deps.webhook_endpoints.list(tenant.slug) if e.active]
    live = [e for e in live if e.disabled_at is None]
    kinds = [kind for kind, event in SOURCES.items() if any(e.wants(event) for e in live)]
    if not kinds:
        return 0
    written = 0
    for _ in range(MAX_BATCHES):
        events = await deps.member_events.unhandled(tenant.slug, CONSUMER, kinds, BATCH)
        for event in events:
            written += await _deliveries(deps, tenant, live, event)
            await deps.member_events.mark_handled(tenant.slug, CONSUMER, event.id)
        if len(events) < BATCH:
            break
    return written


async def _external_id(deps: Deps, event: MemberEvent) -> str | None:
    known = event.data.get("externalId")
    if isinstance(known, str):
        return known
    member = await deps.members.get(event.tenant, event.member_id)
    return None if member is None else member.external_id


def body_of(event: MemberEvent, external_id: str | None) -> str:
    """The Standard Webhooks payload shape: type, timestamp, data."""
    kind = SOURCES[event.kind]
    data: dict[str, object] = {
        key: value for key, value in event.data.items() if key != "externalId"
    }
    if event.kind in TIER_CHANGES:
        data["change"] = TIER_CHANGES[event.kind]
    data["eventId"] = event_id(event.id)
    data["memberExternalId"] = external_id
    payload = {"type": kind.value, "timestamp": event.occurred_at.isoformat(), "data": data}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


async def _deliveries(
    deps: Deps, tenant: Tenant, endpoints: Sequence[WebhookEndpoint], event: MemberEvent
) -> int:
    kind = SOURCES[event.kind]
    wanting = [e for e in endpoints if e.wants(kind) and e.created_at <= event.occurred_at]
    if not wanting:
        return 0
    body = body_of(event, await _external_id(deps, event))
    now = deps.clock.now()
    message = event_id(event.id)
    written = 0
    for endpoint in wanting:
        delivery = WebhookDelivery(
            id=delivery_id(endpoint.id, message),
            tenant=tenant.slug,
            endpoint_id=endpoint.id,
            event_id=message,
            event=kind,
            body=body,
            created_at=now,
            next_attempt_at=now,
        )
        if await deps.webhook_deliveries.enqueue(delivery):
            written += 1
    return written
