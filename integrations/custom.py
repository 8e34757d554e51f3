"""A merchant's own system, over Standard Webhooks: `{type, timestamp, data}` with our event
types (README, "Connect your store": custom):

- order.created | order.paid | order.delivered | order.cancelled | order.refunded:
  data {id, customer {id, name, email, phone, birthday}, total, currency, shipping, tax,
  placed_at, delivered_at, items [{sku, category, quantity, unit_price}],
  points_reservation_id (the reservePoints hold the order was paid with, optional)}
- refund.created: data {id, order_id, amount (null: the whole order), created_at}
- customer.created | customer.updated: data {id, name, email, phone, birthday}
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from integrations.payloads import (
    RESERVATION_KEY,
    birthday,
    ident,
    iso_time,
    load,
    money,
    obj,
    text,
)
from loyalty.earning import OrderLine
from loyalty.store_events import (
    Delivery,
    MalformedPayload,
    OrderAmounts,
    OrderState,
    StoreCustomer,
    StoreCustomerEvent,
    StoreEvent,
    StoreOrder,
    StoreRefund,
    UnknownEvent,
)

_ORDER_TYPES = {
    "order.created": OrderState.CREATED,
    "order.paid": OrderState.PAID,
    "order.delivered": OrderState.DELIVERED,
    "order.cancelled": OrderState.CANCELLED,
    "order.refunded": OrderState.REFUNDED,
}
_CUSTOMER_TYPES = ("customer.created", "customer.updated")


def read(webhook_id: str, body: bytes, now: datetime) -> Delivery:
    data = load(body)
    kind = data.get("type")
    if not isinstance(kind, str):
        raise MalformedPayload("type is missing")
    stamp = data.get("timestamp")
    occurred = iso_time(stamp, "timestamp") if stamp is not None else now
    return Delivery(webhook_id, kind, _event(kind, data, occurred))


def _event(kind: str, data: dict[str, Any], occurred: datetime) -> StoreEvent:
    if kind in _ORDER_TYPES:
        return _order(obj(data, "data"), _ORDER_TYPES[kind], occurred)
    if kind == "refund.created":
        refund = obj(data, "data")
        amount = refund.get("amount")
        created = refund.get("created_at")
        return StoreRefund(
            order_id=ident(refund, "order_id"),
            refund_id=ident(refund, "id"),
            amount=None if amount is None else money(amount, "amount"),
            occurred_at=iso_time(created, "created_at") if created else occurred,
        )
    if kind in _CUSTOMER_TYPES:
        return StoreCustomerEvent(_customer(obj(data, "data")), occurred)
    return UnknownEvent(kind)


def _order(order: dict[str, Any], state: OrderState, occurred: datetime) -> StoreOrder:
    delivered = order.get("delivered_at")
    return StoreOrder(
        order_id=ident(order, "id"),
        state=state,
        occurred_at=occurred,
        placed_at=iso_time(order.get("placed_at"), "placed_at"),
        customer=_customer(obj(order, "customer")),
        amounts=OrderAmounts(
            total=money(order.get("total"), "total"),
            currency=text(order, "currency") or "",
            shipping=money(order.get("shipping", 0), "shipping"),
            tax=money(order.get("tax", 0), "tax"),
        ),
        lines=_lines(order.get("items")),
        delivered_at=iso_time(delivered, "delivered_at") if delivered else None,
        points_reservation_id=ident(order, RESERVATION_KEY)
        if order.get(RESERVATION_KEY) is not None
        else None,
    )


def _lines(items: Any) -> tuple[OrderLine, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise MalformedPayload("items is not a list")
    lines = []
    for item in items:
        if not isinstance(item, dict) or not text(item, "sku"):
            raise MalformedPayload("items.sku")
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise MalformedPayload("items.quantity")
        price: Decimal = money(item.get("unit_price"), "items.unit_price")
        lines.append(OrderLine(str(text(item, "sku")), text(item, "category"), quantity, price))
    return tuple(lines)


def _customer(data: dict[str, Any]) -> StoreCustomer:
    return StoreCustomer(
        customer_id=ident(data, "id"),
        name=text(data, "name"),
        email=text(data, "email"),
        phone=text(data, "phone"),
        birthday=birthday(data.get("birthday")),
    )
