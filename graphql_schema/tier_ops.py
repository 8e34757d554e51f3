"""upsertTier (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.common import LocalizedTextInput
from graphql_schema.context import Info
from graphql_schema.errors import UserError, attempt
from graphql_schema.node import optional_key
from graphql_schema.permissions import HasAdminScope
from graphql_schema.scalars import Decimal
from graphql_schema.tiers import Tier
from loyalty.usecases.tier_admin import TierInput
from resolvers import standing as resolve


@strawberry.input
class UpsertTierInput:
    name: LocalizedTextInput
    rank: int = strawberry.field(description="1 = the first tier above the base; higher = better.")
    threshold: Decimal = strawberry.field(
        description="Qualifying value (program metric) needed, higher for each higher rank."
    )
    earn_multiplier: Decimal = strawberry.field(description="1 to 10, applied to order points.")
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Absent: a new tier. Present: replaces that tier."
    )
    perks: list[LocalizedTextInput] | None = None


@strawberry.type
class UpsertTierPayload:
    tier: Tier | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TierMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_tier(self, info: Info, input: UpsertTierInput) -> UpsertTierPayload:
        scope = info.context.scope
        data = TierInput(
            id=optional_key(input.id, "Tier", scope.require_tenant().slug),
            name=input.name.to_domain(),
            rank=input.rank,
            threshold=str(input.threshold),
            earn_multiplier=str(input.earn_multiplier),
            perks=tuple(p.to_domain() for p in input.perks or ()) or (),
        )
        tier, errors = await attempt(scope.locale, lambda: resolve.upsert_tier(scope, data))
        if tier is None:
            return UpsertTierPayload(user_errors=errors)
        return UpsertTierPayload(tier=Tier(_tier=tier, _locale=scope.locale))
