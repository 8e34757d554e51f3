"""campaigns (admin): what the merchant scheduled and how far each got."""

from __future__ import annotations

import strawberry

from graphql_schema.campaigns import (
    CampaignConnection,
    campaign_connection,
    read_campaign_cursor,
)
from graphql_schema.common import page_size
from graphql_schema.context import Info
from graphql_schema.permissions import HasAdminScope
from loyalty.usecases import campaigns


@strawberry.type
class CampaignQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope],
        description=(
            "The program's campaigns, newest first, each with its status and how many pushes "
            "it queued. Bad arguments are top-level errors with extensions.code and "
            "extensions.field."
        ),
    )
    async def campaigns(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> CampaignConnection:
        scope = info.context.scope
        tenant = scope.require_tenant()
        # A bad argument raises DomainError: the view turns it into a coded top-level error.
        limit = page_size(first)
        page = await campaigns.campaign_page(scope.deps, tenant, read_campaign_cursor(after), limit)
        return campaign_connection(page.items, page.has_next)
