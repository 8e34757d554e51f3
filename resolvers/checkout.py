"""quoteOrder, reservePoints and releasePoints: checkout with points."""

from __future__ import annotations

import strawberry

from graphql_schema.checkout import (
    OrderQuote,
    PointsReservation,
    QuoteOrderInput,
    ReleasePointsPayload,
    ReservePointsInput,
    ReservePointsPayload,
)
from graphql_schema.context import Info
from graphql_schema.errors import attempt, reader
from graphql_schema.permissions import IsMember, IsMemberOrHasEventsScope
from graphql_schema.wallet import Wallet
from loyalty.errors import forbidden
from loyalty.members import Member
from loyalty.principal import Kind
from loyalty.usecases import checkout


async def _shopper(info: Info, external_id: str | None) -> Member | None:
    """The member a quote is for: a member token's own (naming another is FORBIDDEN); for the
    events key, the member named, or none (a guest, or a shopper not enrolled yet)."""
    scope = info.context.scope
    if info.context.principal.kind is Kind.MEMBER:
        member = await scope.current_member()
        if external_id is not None and external_id != member.external_id:
            raise forbidden("a member quotes only for themselves")
        return member
    if external_id is None:
        return None
    return await scope.deps.members.get_by_external_id(scope.require_tenant().slug, external_id)


@strawberry.type
class CheckoutQuery:
    @strawberry.field(
        permission_classes=[IsMemberOrHasEventsScope],
        description=(
            "What a cart earns and the most points it accepts. Bad input is a top-level error "
            "with extensions.code and extensions.field."
        ),
    )
    async def quote_order(self, info: Info, input: QuoteOrderInput) -> OrderQuote:
        scope = info.context.scope
        external_id = None if input.member_external_id is None else str(input.member_external_id)
        tenant = scope.require_tenant()
        quote = await checkout.quote_order(
            scope.deps,
            tenant,
            await _shopper(info, external_id),
            total=str(input.total),
            currency=input.currency,
            items=input.lines(),
        )
        return OrderQuote.of(quote, scope.locale, tenant.slug)


@strawberry.type
class CheckoutMutation:
    @strawberry.mutation(permission_classes=[IsMember])
    async def reserve_points(self, info: Info, input: ReservePointsInput) -> ReservePointsPayload:
        scope = info.context.scope
        result, errors = await attempt(
            scope.locale,
            lambda: checkout.reserve_points(
                scope.deps,
                scope.require_tenant(),
                scope.require_member(),
                points=input.points,
                cart_total=str(input.cart_total),
                currency=input.currency,
                idempotency_key=input.idempotency_key,
            ),
            reader(scope),
        )
        if result is None:
            return ReservePointsPayload(user_errors=errors)
        now = scope.deps.clock.now()
        return ReservePointsPayload(
            reservation=PointsReservation.of(result.reservation, now),
            wallet=Wallet(_member=result.member, _now=now),
        )

    @strawberry.mutation(
        permission_classes=[IsMemberOrHasEventsScope],
        description="Gives held points back (a member: their own reservation only).",
    )
    async def release_points(
        self, info: Info, reservation_id: strawberry.ID
    ) -> ReleasePointsPayload:
        scope = info.context.scope
        member = scope.member if info.context.principal.kind is Kind.MEMBER else None
        result, errors = await attempt(
            scope.locale,
            lambda: checkout.release_points(
                scope.deps,
                scope.require_tenant(),
                reservation_id=str(reservation_id),
                member_id=None if member is None else member.id,
            ),
            reader(scope),
        )
        if result is None:
            return ReleasePointsPayload(user_errors=errors)
        now = scope.deps.clock.now()
        return ReleasePointsPayload(
            reservation=PointsReservation.of(result.reservation, now),
            wallet=Wallet(_member=result.member, _now=now),
        )
