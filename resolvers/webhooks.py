"""webhookEndpoints, webhookDeliveries, upsertWebhookEndpoint, redeliverWebhook (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.common import PageInfo, page_size
from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.node import local_key, optional_key
from graphql_schema.permissions import HasAdminScope
from graphql_schema.webhooks import (
    RedeliverWebhookPayload,
    WebhookDelivery,
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEndpointInput,
    WebhookEndpointPayload,
    delivery_cursor,
    read_delivery_cursor,
)
from loyalty.usecases import webhook_deliveries, webhook_endpoints


@strawberry.type
class WebhookQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope], description="Secrets are never shown again."
    )
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        scope = info.context.scope
        found = await webhook_endpoints.list_endpoints(scope.deps, scope.require_tenant())
        return [WebhookEndpoint.of(endpoint, scope.locale) for endpoint in found]

    @strawberry.field(permission_classes=[HasAdminScope], description="Newest first.")
    async def webhook_deliveries(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        endpoint_id: strawberry.ID | None = None,
        status: WebhookDeliveryStatus | None = None,
    ) -> WebhookDeliveryConnection:
        scope = info.context.scope
        tenant = scope.require_tenant()
        # A bad argument raises DomainError: the view turns it into a coded top-level error.
        page = await webhook_deliveries.deliveries(
            scope.deps,
            tenant,
            endpoint_id=optional_key(endpoint_id, "WebhookEndpoint", tenant.slug),
            status=status,
            after=read_delivery_cursor(after),
            limit=page_size(first),
        )
        edges = [
            WebhookDeliveryEdge(cursor=delivery_cursor(row), node=WebhookDelivery.of(row))
            for row in page.items
        ]
        return WebhookDeliveryConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
            ),
        )


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_webhook_endpoint(
        self, info: Info, input: WebhookEndpointInput
    ) -> WebhookEndpointPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        data = webhook_endpoints.EndpointInput(
            id=optional_key(input.id, "WebhookEndpoint", tenant.slug),
            url=input.url.strip(),
            events=input.events,
            active=input.active is not False,
        )
        saved, errors = await attempt(
            scope.locale, lambda: webhook_endpoints.upsert_endpoint(scope.deps, tenant, data)
        )
        if saved is None:
            return WebhookEndpointPayload(user_errors=errors)
        return WebhookEndpointPayload(
            endpoint=WebhookEndpoint.of(saved.endpoint, scope.locale), secret=saved.secret
        )

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def redeliver_webhook(
        self, info: Info, delivery_id: strawberry.ID
    ) -> RedeliverWebhookPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        again, errors = await attempt(
            scope.locale,
            lambda: webhook_deliveries.redeliver(
                scope.deps, tenant, local_key(str(delivery_id), "WebhookDelivery", tenant.slug)
            ),
        )
        if again is None:
            return RedeliverWebhookPayload(user_errors=errors)
        return RedeliverWebhookPayload(delivery=WebhookDelivery.of(again))
