"""Checkout with points: quotes, reservations and their payloads, and the program's checkout
settings."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.earn_campaigns import EarnCampaign, earn_campaign_of
from graphql_schema.errors import UserError
from graphql_schema.point_movements import OrderItemInput
from graphql_schema.scalars import Decimal
from graphql_schema.wallet import Wallet
from loyalty import reservations as domain
from loyalty.usecases.checkout import Quote
from loyalty.usecases.orders import OrderLineInput

strawberry.enum(domain.ReservationStatus, name="ReservationStatus")
ReservationStatus = domain.ReservationStatus


def money_text(value: object) -> Decimal:
    return Decimal(format(value, "f"))


@strawberry.input
class QuoteOrderInput:
    total: Decimal
    currency: str
    member_external_id: strawberry.ID | None = strawberry.field(
        default=None, description="Events key: the shopper (none or unknown: a guest's quote)."
    )
    items: list[OrderItemInput] | None = None

    def lines(self) -> list[OrderLineInput] | None:
        if self.items is None:
            return None
        return [
            OrderLineInput(item.sku, item.category, item.quantity, str(item.unit_price))
            for item in self.items
        ]


@strawberry.type
class OrderQuote:
    points_to_earn: int = strawberry.field(
        description="Rules, running campaigns and the tier multiplier applied."
    )
    max_redeemable_points: int = strawberry.field(
        description="The most points this cart accepts now (balance, minimum, step, cart share)."
    )
    max_discount: Decimal
    currency: str
    campaigns: list[EarnCampaign] = strawberry.field(
        description="The campaigns that raise pointsToEarn (for a banner on the cart)."
    )

    @classmethod
    def of(cls, quote: Quote, locale: str, tenant: str) -> OrderQuote:
        return cls(
            points_to_earn=quote.points_to_earn,
            max_redeemable_points=quote.max_redeemable_points,
            max_discount=money_text(quote.max_discount),
            currency=quote.currency,
            campaigns=[earn_campaign_of(c, locale, tenant) for c in quote.campaigns],
        )


@strawberry.input
class ReservePointsInput:
    points: int
    cart_total: Decimal
    currency: str
    idempotency_key: str


@strawberry.type
class PointsReservation:
    id: strawberry.ID
    points: int
    discount: Decimal
    currency: str
    status: ReservationStatus
    expires_at: datetime
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="The order that captured it."
    )

    @classmethod
    def of(cls, reservation: domain.PointsReservation, now: datetime) -> PointsReservation:
        return cls(
            id=strawberry.ID(reservation.id),
            points=reservation.points,
            discount=money_text(reservation.discount),
            currency=reservation.currency,
            status=reservation.status_at(now),
            expires_at=reservation.expires_at,
            order_id=None if reservation.order_id is None else strawberry.ID(reservation.order_id),
        )


@strawberry.type
class ReservePointsPayload:
    reservation: PointsReservation | None = None
    wallet: Wallet | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReleasePointsPayload:
    reservation: PointsReservation | None = None
    wallet: Wallet | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
