"""badges and upsertBadge (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.badges import Badge, UpsertBadgeInput, UpsertBadgePayload
from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope
from loyalty.usecases import badge_admin


@strawberry.type
class BadgeMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_badge(self, info: Info, input: UpsertBadgeInput) -> UpsertBadgePayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        data = input.to_domain(tenant.slug)
        badge, errors = await attempt(
            scope.locale, lambda: badge_admin.upsert_badge(scope.deps, tenant, data)
        )
        if badge is None:
            return UpsertBadgePayload(user_errors=errors)
        return UpsertBadgePayload(badge=Badge(_badge=badge, _locale=scope.locale))


@strawberry.type
class BadgeQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope],
        description="Every badge the program defines, inactive ones too, oldest first.",
    )
    async def badges(self, info: Info) -> list[Badge]:
        scope = info.context.scope
        found = await badge_admin.list_badges(scope.deps, scope.require_tenant())
        return [Badge(_badge=badge, _locale=scope.locale) for badge in found]
