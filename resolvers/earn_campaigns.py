"""Root fields of earn campaigns: the banner's list, the presets and upsertEarnCampaign."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.context import Info
from graphql_schema.earn_campaigns import (
    EarnCampaign,
    EarnCampaignInput,
    EarnCampaignPayload,
    EarnCampaignPreset,
    earn_campaign_of,
)
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope, InTenant
from loyalty.usecases import earn_campaigns as usecase


@strawberry.type
class EarnCampaignQuery:
    @strawberry.field(
        permission_classes=[InTenant],
        description=(
            "Campaigns running at `activeAt` (without an offset: the tenant's wall-clock "
            "time); without it, those running now or still to come. Soonest first."
        ),
    )
    async def earn_campaigns(
        self, info: Info, active_at: datetime | None = None
    ) -> list[EarnCampaign]:
        scope = info.context.scope
        tenant = scope.require_tenant()
        found = await usecase.earn_campaigns(scope.deps, tenant, active_at)
        return [earn_campaign_of(c, scope.locale, tenant.slug) for c in found]

    @strawberry.field(
        permission_classes=[HasAdminScope],
        description="The seasons starting in a Gregorian year (1925-2076), as campaign drafts.",
    )
    def earn_campaign_presets(self, info: Info, year: int) -> list[EarnCampaignPreset]:
        scope = info.context.scope
        zone = scope.require_tenant().program.zone()
        found = usecase.earn_campaign_presets(year)
        return [EarnCampaignPreset(_preset=p, _locale=scope.locale, _zone=zone) for p in found]


@strawberry.type
class EarnCampaignMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_earn_campaign(
        self, info: Info, input: EarnCampaignInput
    ) -> EarnCampaignPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        data = input.to_domain(tenant.slug)
        campaign, errors = await attempt(
            scope.locale, lambda: usecase.upsert_earn_campaign(scope.deps, tenant, data)
        )
        if campaign is None:
            return EarnCampaignPayload(user_errors=errors)
        return EarnCampaignPayload(campaign=earn_campaign_of(campaign, scope.locale, tenant.slug))
