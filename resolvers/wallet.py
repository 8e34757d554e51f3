"""The events that move points: recordOrder, refundOrder, recordActivity (events key) and
adjustPoints (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import attempt, reader
from graphql_schema.members import Member
from graphql_schema.permissions import HasAdminScope, HasEventsScope
from graphql_schema.point_movements import (
    AdjustPointsInput,
    AdjustPointsPayload,
    RecordActivityInput,
    RecordActivityPayload,
    RecordOrderInput,
    RecordOrderPayload,
    RefundOrderInput,
    RefundOrderPayload,
)
from graphql_schema.scalars import Decimal
from loyalty.money import in_minor_units
from loyalty.usecases import activities, adjustments, members, order_refunds, orders


@strawberry.type
class WalletMutation:
    @strawberry.mutation(permission_classes=[HasEventsScope])
    async def record_order(self, info: Info, input: RecordOrderInput) -> RecordOrderPayload:
        scope = info.context.scope
        items = (
            [
                orders.OrderLineInput(i.sku, i.category, i.quantity, str(i.unit_price))
                for i in input.items
            ]
            if input.items is not None
            else None
        )
        result, errors = await attempt(
            scope.locale,
            lambda: orders.record_order(
                scope.deps,
                scope.require_tenant(),
                member_external_id=str(input.member_external_id),
                order_id=str(input.order_id),
                total=str(input.total),
                currency=input.currency,
                items=items,
                placed_at=input.placed_at,
                points_reservation_id=(
                    None
                    if input.points_reservation_id is None
                    else str(input.points_reservation_id)
                ),
            ),
            reader(scope),
        )
        if result is None:
            return RecordOrderPayload(user_errors=errors)
        return RecordOrderPayload(
            points_earned=result.order.points,
            pending=result.order.pending,
            # None: held until that customer enrols (program policy HOLD).
            member=Member(_member=result.member) if result.member is not None else None,
        )

    @strawberry.mutation(permission_classes=[HasEventsScope])
    async def refund_order(self, info: Info, input: RefundOrderInput) -> RefundOrderPayload:
        scope = info.context.scope
        result, errors = await attempt(
            scope.locale,
            lambda: order_refunds.refund_order(
                scope.deps,
                scope.require_tenant(),
                order_id=str(input.order_id),
                amount=None if input.amount is None else str(input.amount),
                idempotency_key=input.idempotency_key,
            ),
        )
        if result is None:
            return RefundOrderPayload(user_errors=errors)
        return RefundOrderPayload(
            points_reversed=result.points_reversed,
            shortfall=result.shortfall,
            points_returned=result.points_returned,
            refunded_total=Decimal(
                format(in_minor_units(result.order.refunded, result.order.currency), "f")
            ),
            # None: the order is held until that customer enrols (program policy HOLD).
            member=Member(_member=result.member) if result.member is not None else None,
        )

    @strawberry.mutation(permission_classes=[HasEventsScope])
    async def record_activity(
        self, info: Info, input: RecordActivityInput
    ) -> RecordActivityPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()

        async def record() -> activities.ActivityResult:
            member = await members.require_member(
                scope.deps, tenant, str(input.member_external_id), ("input", "memberExternalId")
            )
            return await activities.record_activity(
                scope.deps,
                tenant,
                member,
                input.activity,
                input.key,
                input.occurred_at,
                input.custom_name,
            )

        result, errors = await attempt(scope.locale, record, reader(scope, "admin"))
        if result is None:
            return RecordActivityPayload(user_errors=errors)
        return RecordActivityPayload(
            points_earned=result.record.points, member=Member(_member=result.member)
        )

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def adjust_points(self, info: Info, input: AdjustPointsInput) -> AdjustPointsPayload:
        scope = info.context.scope
        member, errors = await attempt(
            scope.locale,
            lambda: adjustments.adjust_points(
                scope.deps,
                scope.require_tenant(),
                member_external_id=str(input.member_external_id),
                points=input.points,
                reason=input.reason,
                idempotency_key=input.idempotency_key,
            ),
            reader(scope, "admin"),
        )
        if member is None:
            return AdjustPointsPayload(user_errors=errors)
        return AdjustPointsPayload(member=Member(_member=member))
