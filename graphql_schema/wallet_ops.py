"""Members, and the events that move points: orders, refunds, activities, adjustments."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.context import Info
from graphql_schema.earning import ActivityType
from graphql_schema.errors import UserError, attempt, reader
from graphql_schema.members import EnrollMemberInput, Member, UpdateProfileInput
from graphql_schema.permissions import HasAdminScope, HasEventsScope, IsMember, IsMerchant
from graphql_schema.scalars import Decimal
from loyalty.members import Member as DomainMember
from loyalty.usecases.orders import OrderLineInput
from resolvers import standing
from resolvers import wallet as resolve


@strawberry.input
class OrderItemInput:
    sku: str
    quantity: int
    unit_price: Decimal
    category: str | None = None


@strawberry.input
class RecordOrderInput:
    member_external_id: strawberry.ID
    order_id: strawberry.ID
    total: Decimal
    currency: str
    items: list[OrderItemInput] | None = None
    placed_at: datetime | None = None
    points_reservation_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The order was paid partly with these reserved points: it captures them.",
    )


@strawberry.type
class RecordOrderPayload:
    points_earned: int | None = None
    pending: bool | None = None
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RefundOrderInput:
    order_id: strawberry.ID
    idempotency_key: str
    amount: Decimal | None = None


@strawberry.type
class RefundOrderPayload:
    points_reversed: int | None = None
    shortfall: int | None = strawberry.field(
        default=None, description="Points that could not be taken back (already spent)."
    )
    points_returned: int | None = strawberry.field(
        default=None,
        description="Of the points the order was paid with, those given back by this refund.",
    )
    refunded_total: Decimal | None = None
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RecordActivityInput:
    member_external_id: strawberry.ID
    activity: ActivityType
    key: str
    occurred_at: datetime | None = None
    custom_name: str | None = None


@strawberry.type
class RecordActivityPayload:
    points_earned: int | None = None
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AdjustPointsInput:
    member_external_id: strawberry.ID
    points: int
    reason: str
    idempotency_key: str


@strawberry.type
class AdjustPointsPayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MemberPayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UpdateProfilePayload:
    member: Member | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class WalletQuery:
    @strawberry.field(permission_classes=[IsMember])
    async def me(self, info: Info) -> Member:
        return Member(_member=await info.context.scope.current_member())

    @strawberry.field(permission_classes=[HasAdminScope])
    async def member(self, info: Info, external_id: strawberry.ID) -> Member | None:
        found = await resolve.member_by_external_id(info.context.scope, str(external_id))
        return Member(_member=found) if found else None


@strawberry.type
class WalletMutation:
    @strawberry.mutation(permission_classes=[HasEventsScope])
    async def record_order(self, info: Info, input: RecordOrderInput) -> RecordOrderPayload:
        scope = info.context.scope
        items = (
            [OrderLineInput(i.sku, i.category, i.quantity, str(i.unit_price)) for i in input.items]
            if input.items is not None
            else None
        )
        result, errors = await attempt(
            scope.locale,
            lambda: resolve.record_order(
                scope,
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
            member=Member(_member=result.member),
        )

    @strawberry.mutation(permission_classes=[HasEventsScope])
    async def refund_order(self, info: Info, input: RefundOrderInput) -> RefundOrderPayload:
        scope = info.context.scope
        result, errors = await attempt(
            scope.locale,
            lambda: resolve.refund_order(
                scope,
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
            refunded_total=Decimal(format(result.order.refunded, "f")),
            member=Member(_member=result.member),
        )

    @strawberry.mutation(permission_classes=[HasEventsScope])
    async def record_activity(
        self, info: Info, input: RecordActivityInput
    ) -> RecordActivityPayload:
        scope = info.context.scope
        result, errors = await attempt(
            scope.locale,
            lambda: resolve.record_activity(
                scope,
                member_external_id=str(input.member_external_id),
                activity=input.activity,
                key=input.key,
                occurred_at=input.occurred_at,
                custom_name=input.custom_name,
            ),
            reader(scope, "admin"),
        )
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
            lambda: resolve.adjust_points(
                scope,
                member_external_id=str(input.member_external_id),
                points=input.points,
                reason=input.reason,
                key=input.idempotency_key,
            ),
            reader(scope, "admin"),
        )
        if member is None:
            return AdjustPointsPayload(user_errors=errors)
        return AdjustPointsPayload(member=Member(_member=member))

    @strawberry.mutation(
        permission_classes=[IsMerchant],
        description="Creates the member if absent (store sync), before they open the app.",
    )
    async def enroll_member(self, info: Info, input: EnrollMemberInput) -> MemberPayload:
        scope = info.context.scope
        member, errors = await attempt(
            scope.locale,
            lambda: resolve.enroll_member(
                scope, str(input.external_id), input.display_name, input.locale
            ),
        )
        if member is None:
            return MemberPayload(user_errors=errors)
        return MemberPayload(member=Member(_member=member))

    @strawberry.mutation(permission_classes=[IsMember])
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> UpdateProfilePayload:
        scope = info.context.scope
        changes: dict[str, str | None] = {}
        for name, value in (
            ("displayName", input.display_name),
            ("locale", input.locale),
            ("email", input.email),
            ("phone", input.phone),
        ):
            if value is not None:
                changes[name] = value.value
        opt_out = input.leaderboard_opt_out

        async def update() -> DomainMember:
            # Profile checks first: a refused profile change leaves the opt-out untouched.
            member = await resolve.update_profile(scope, changes)
            if opt_out is None:
                return member
            await standing.set_leaderboard_opt_out(scope, opt_out.value)
            return await scope.refreshed_member()

        member, errors = await attempt(scope.locale, update)
        if member is None:
            return UpdateProfilePayload(user_errors=errors)
        return UpdateProfilePayload(member=Member(_member=member))
