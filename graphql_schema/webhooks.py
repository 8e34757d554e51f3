"""Outbound webhooks: endpoints, deliveries and their payloads (issue 10)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import strawberry

from graphql_schema.common import PageInfo
from graphql_schema.errors import UserError
from graphql_schema.node import global_id
from loyalty import webhooks as domain
from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n.messages import translate_in
from loyalty.i18n.render import MessageContext
from loyalty.webhooks import RETRY_FOR

strawberry.enum(domain.WebhookEvent, name="WebhookEvent")
WebhookEvent = domain.WebhookEvent
strawberry.enum(domain.DeliveryStatus, name="WebhookDeliveryStatus")
WebhookDeliveryStatus = domain.DeliveryStatus


@strawberry.input
class WebhookEndpointInput:
    url: str
    events: list[WebhookEvent]
    id: strawberry.ID | None = None
    active: bool | None = strawberry.field(default=True, description="null counts as true.")


@strawberry.type(description="Where the program's events are posted (Standard Webhooks).")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    events: list[WebhookEvent]
    active: bool
    created_at: datetime
    failing_since: datetime | None = strawberry.field(
        description="Since when every attempt failed; null after a success."
    )
    disabled_at: datetime | None = strawberry.field(
        description="Set when deliveries kept failing; save the endpoint active to resume."
    )
    disabled_reason: str | None

    @classmethod
    def of(cls, endpoint: domain.WebhookEndpoint, locale: str) -> WebhookEndpoint:
        reason = None
        if endpoint.disabled_at is not None:
            reason = translate_in(
                "webhook.disabled",
                locale,
                MessageContext(),
                days=RETRY_FOR.days,
                last=endpoint.disabled_reason or "-",
            )
        return cls(
            id=global_id("WebhookEndpoint", endpoint.tenant, endpoint.id),
            url=endpoint.url,
            events=sorted(endpoint.events),
            active=endpoint.active,
            created_at=endpoint.created_at,
            failing_since=endpoint.failing_since,
            disabled_at=endpoint.disabled_at,
            disabled_reason=reason,
        )


@strawberry.type
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret (whsec_...), only in the answer that created it.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WebhookDelivery:
    id: strawberry.ID
    endpoint_id: strawberry.ID
    event_id: str = strawberry.field(description="The webhook-id header: same on every retry.")
    event: WebhookEvent
    status: WebhookDeliveryStatus
    attempts: int
    payload: str
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    last_response_code: int | None
    last_error: str | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, delivery: domain.WebhookDelivery) -> WebhookDelivery:
        waiting = delivery.status is domain.DeliveryStatus.PENDING
        return cls(
            id=strawberry.ID(delivery.id),
            endpoint_id=global_id("WebhookEndpoint", delivery.tenant, delivery.endpoint_id),
            event_id=delivery.event_id,
            event=delivery.event,
            status=delivery.status,
            attempts=delivery.attempts,
            payload=delivery.body,
            created_at=delivery.created_at,
            last_attempt_at=delivery.last_attempt_at,
            next_attempt_at=delivery.next_attempt_at if waiting else None,
            last_response_code=delivery.last_status_code,
            last_error=delivery.last_error,
            delivered_at=delivery.delivered_at,
        )


@strawberry.type
class WebhookDeliveryEdge:
    cursor: str
    node: WebhookDelivery


@strawberry.type
class WebhookDeliveryConnection:
    edges: list[WebhookDeliveryEdge]
    page_info: PageInfo


@strawberry.type
class RedeliverWebhookPayload:
    delivery: WebhookDelivery | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def delivery_cursor(delivery: domain.WebhookDelivery) -> str:
    millis = int(delivery.created_at.timestamp() * 1000)
    return base64.urlsafe_b64encode(f"w:{millis}:{delivery.id}".encode()).decode()


def read_delivery_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    try:
        kind, millis, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 2)
        if kind == "w":
            return datetime.fromtimestamp(int(millis) / 1000, tz=UTC), row_id
    except (ValueError, UnicodeDecodeError):
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")
