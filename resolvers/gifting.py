"""Root fields of gifting and charity: transferPoints, donatePoints (member token),
upsertCharity (admin) and charities (public or any token)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import attempt, reader
from graphql_schema.gifting import (
    Charity,
    CharityInput,
    CharityPayload,
    DonatePointsInput,
    DonatePointsPayload,
    PointsTransfer,
    TransferPointsInput,
    TransferPointsPayload,
)
from graphql_schema.node import global_id, local_key, optional_key
from graphql_schema.permissions import HasAdminScope, InTenant, IsMember
from graphql_schema.wallet import Wallet
from loyalty.tenants import Scope
from loyalty.usecases import charities, transfers


@strawberry.type
class GiftingQuery:
    @strawberry.field(
        permission_classes=[InTenant],
        description="The merchant's charities; members see the active ones, admins all.",
    )
    async def charities(self, info: Info) -> list[Charity]:
        scope = info.context.scope
        tenant = scope.require_tenant()
        admin = Scope.ADMIN in info.context.principal.scopes
        found = await scope.deps.charities.list(tenant.slug, active_only=not admin)
        return [Charity(_charity=c, _tenant=tenant.slug, _locale=scope.locale) for c in found]


@strawberry.type
class GiftingMutation:
    @strawberry.mutation(permission_classes=[IsMember])
    async def transfer_points(
        self, info: Info, input: TransferPointsInput
    ) -> TransferPointsPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        result, errors = await attempt(
            scope.locale,
            lambda: transfers.transfer_points(
                scope.deps,
                tenant,
                scope.require_member(),
                to_external_id=str(input.to_member_external_id),
                points=input.points,
                idempotency_key=input.idempotency_key,
            ),
            reader(scope),
        )
        if result is None:
            return TransferPointsPayload(user_errors=errors)
        record = result.transfer
        return TransferPointsPayload(
            wallet=Wallet(_member=result.sender, _now=scope.deps.clock.now()),
            transfer=PointsTransfer(
                id=global_id("PointsTransfer", tenant.slug, record.id.split(":", 1)[1]),
                points=record.points,
                status=record.status,
                created_at=record.created_at,
            ),
        )

    @strawberry.mutation(permission_classes=[IsMember])
    async def donate_points(self, info: Info, input: DonatePointsInput) -> DonatePointsPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        member, errors = await attempt(
            scope.locale,
            lambda: charities.donate_points(
                scope.deps,
                tenant,
                scope.require_member(),
                charity_id=local_key(str(input.charity_id), "Charity", tenant.slug),
                points=input.points,
                idempotency_key=input.idempotency_key,
            ),
            reader(scope),
        )
        if member is None:
            return DonatePointsPayload(user_errors=errors)
        return DonatePointsPayload(wallet=Wallet(_member=member, _now=scope.deps.clock.now()))

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def upsert_charity(self, info: Info, input: CharityInput) -> CharityPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        charity, errors = await attempt(
            scope.locale,
            lambda: charities.upsert_charity(
                scope.deps,
                tenant,
                charity_id=optional_key(input.id, "Charity", tenant.slug),
                name=input.name.to_domain(),
                logo_url=input.logo_url,
                active=input.active is not False,
            ),
        )
        if charity is None:
            return CharityPayload(user_errors=errors)
        return CharityPayload(
            charity=Charity(_charity=charity, _tenant=tenant.slug, _locale=scope.locale)
        )
