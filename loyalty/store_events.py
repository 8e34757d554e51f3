"""What a store tells the program, once a platform's payload has been read: the same few
events whatever the platform (integrations/ maps each platform's shapes onto these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from loyalty.earning import OrderLine
from loyalty.stores import OrderStage, OrderTotalBasis


class OrderState(StrEnum):
    """Where a store order stands, as far as earning goes."""

    CREATED = "CREATED"
    PAID = "PAID"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"
    REFUNDED = "REFUNDED"  # fully: partial refunds arrive as StoreRefund

    @property
    def stage(self) -> OrderStage | None:
        return _STAGES.get(self)


_STAGES = {
    OrderState.CREATED: OrderStage.CREATED,
    OrderState.PAID: OrderStage.PAID,
    OrderState.DELIVERED: OrderStage.DELIVERED,
}


@dataclass(frozen=True)
class StoreCustomer:
    customer_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    birthday: date | None = None


@dataclass(frozen=True)
class OrderAmounts:
    total: Decimal
    currency: str
    shipping: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)

    def earning_total(self, basis: OrderTotalBasis) -> Decimal:
        if basis is OrderTotalBasis.NET_OF_SHIPPING_AND_TAX:
            return max(self.total - self.shipping - self.tax, Decimal(0))
        return self.total


@dataclass(frozen=True)
class StoreOrder:
    """An order event. `amounts` and `customer` are None when the platform sent only a status
    (such an event waits for the order's create). `delivered_at` is set when the platform says
    when the order was delivered. `state` is None for a status that says nothing about earning
    (the event still brings the order's amounts).

    `total_is_current`: the platform lowers this total when part of the order is refunded or
    removed (Salla, Zid), so a total below the one the order earned on refunds the difference.
    `points_reservation_id`: the storefront paid part of the order with points held by
    reservePoints, and said so in the order's metadata."""

    order_id: str
    state: OrderState | None
    occurred_at: datetime
    placed_at: datetime | None = None
    customer: StoreCustomer | None = None
    amounts: OrderAmounts | None = None
    lines: tuple[OrderLine, ...] = ()
    delivered_at: datetime | None = None
    total_is_current: bool = False
    points_reservation_id: str | None = None

    @property
    def complete(self) -> bool:
        return self.customer is not None and self.amounts is not None


@dataclass(frozen=True)
class StoreRefund:
    """`amount` None: the whole order (what is left of it)."""

    order_id: str
    refund_id: str
    amount: Decimal | None
    occurred_at: datetime


@dataclass(frozen=True)
class StoreCustomerEvent:
    customer: StoreCustomer
    occurred_at: datetime


@dataclass(frozen=True)
class UnknownEvent:
    kind: str


StoreEvent = StoreOrder | StoreRefund | StoreCustomerEvent | UnknownEvent


@dataclass(frozen=True)
class Delivery:
    """One verified, parsed delivery: `delivery_id` is the platform's own id for it (or a hash
    of the body where the platform gives none, so an identical redelivery is still seen)."""

    delivery_id: str
    kind: str
    event: StoreEvent


class MalformedPayload(ValueError):
    """A validly signed body that is not the platform's documented shape."""
