"""Inputs and payloads of the events that move points: orders, refunds, activities and
adjustments."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.earning import ActivityType
from graphql_schema.errors import UserError
from graphql_schema.members import Member
from graphql_schema.scalars import Decimal


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
