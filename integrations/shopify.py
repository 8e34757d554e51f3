"""Shopify: the topic comes in X-Shopify-Topic and the body is the resource (an order, a
refund, a customer); X-Shopify-Event-Id names the event across retries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from integrations.payloads import RESERVATION_KEY, ident, iso_time, load, money, text
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

_ORDER_TOPICS = {
    "orders/create": OrderState.CREATED,
    "orders/paid": OrderState.PAID,
    "orders/fulfilled": OrderState.DELIVERED,
    "orders/cancelled": OrderState.CANCELLED,
}
_CUSTOMER_TOPICS = ("customers/create", "customers/update")


def read(headers: Mapping[str, str], body: bytes, now: datetime) -> Delivery:
    topic = headers.get("x-shopify-topic", "").strip()
    event_id = headers.get("x-shopify-event-id") or headers.get("x-shopify-webhook-id")
    if not topic or not event_id:
        raise MalformedPayload("X-Shopify-Topic or X-Shopify-Event-Id is missing")
    data = load(body)
    return Delivery(event_id.strip(), topic, _event(topic, data, now))


def _event(topic: str, data: dict[str, Any], now: datetime) -> StoreEvent:
    if topic in _ORDER_TOPICS:
        return _order(data, _ORDER_TOPICS[topic], now)
    if topic == "refunds/create":
        return _refund(data, now)
    if topic in _CUSTOMER_TOPICS:
        return StoreCustomerEvent(_customer(data), now)
    return UnknownEvent(topic)


def _order(data: dict[str, Any], state: OrderState, now: datetime) -> StoreEvent:
    customer = data.get("customer")
    if not isinstance(customer, dict):
        return UnknownEvent("guest order")  # no customer account: nothing to earn for
    shipping = data.get("total_shipping_price_set")
    shop_money = shipping.get("shop_money") if isinstance(shipping, dict) else None
    delivered_at = _fulfilled_at(data) if state is OrderState.DELIVERED else None
    occurred = {
        OrderState.CANCELLED: data.get("cancelled_at"),
        OrderState.PAID: data.get("processed_at"),
    }.get(state)
    return StoreOrder(
        order_id=ident(data, "id"),
        state=state,
        occurred_at=iso_time(occurred, "time") if occurred else now,
        placed_at=iso_time(data.get("created_at"), "created_at"),
        customer=_customer(customer),
        amounts=OrderAmounts(
            # After edits and refunds Shopify lowers current_total_price; it is the order
            # as the customer now pays it.
            total=money(data.get("current_total_price", data.get("total_price")), "total"),
            currency=text(data, "currency") or "",
            shipping=money(shop_money.get("amount", 0), "shipping")
            if isinstance(shop_money, dict)
            else Decimal(0),
            tax=money(data.get("current_total_tax", data.get("total_tax", 0)), "tax"),
        ),
        lines=_lines(data.get("line_items")),
        delivered_at=delivered_at,
        points_reservation_id=_reservation(data.get("note_attributes")),
    )


def _reservation(attributes: Any) -> str | None:
    """A storefront paying with points sets the cart attribute `points_reservation_id`;
    Shopify hands cart attributes on as the order's `note_attributes` [{name, value}]."""
    if not isinstance(attributes, list):
        return None
    for attribute in attributes:
        if isinstance(attribute, dict) and attribute.get("name") == RESERVATION_KEY:
            return ident(attribute, "value")
    return None


def _fulfilled_at(data: dict[str, Any]) -> datetime | None:
    fulfillments = data.get("fulfillments")
    if not isinstance(fulfillments, list) or not fulfillments:
        return None
    last = fulfillments[-1]
    stamp = last.get("updated_at") or last.get("created_at") if isinstance(last, dict) else None
    return iso_time(stamp, "fulfillments.updated_at") if stamp else None


def _lines(items: Any) -> tuple[OrderLine, ...]:
    if not isinstance(items, list):
        return ()
    lines = []
    for item in items:
        if not isinstance(item, dict) or not text(item, "sku"):
            continue  # a line without a SKU matches no rule: it earns at the base rate anyway
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or quantity < 1:
            raise MalformedPayload("line_items.quantity")
        category = text(item, "product_type")
        lines.append(
            OrderLine(str(text(item, "sku")), category, quantity, money(item.get("price"), "price"))
        )
    return tuple(lines)


def _refund(data: dict[str, Any], now: datetime) -> StoreEvent:
    transactions = data.get("transactions")
    if not isinstance(transactions, list):
        raise MalformedPayload("transactions is not a list")
    amount = sum(
        (
            money(t.get("amount"), "transactions.amount")
            for t in transactions
            if isinstance(t, dict) and t.get("kind") == "refund" and t.get("status") == "success"
        ),
        Decimal(0),
    )
    if amount <= 0:
        return UnknownEvent("refund without money")  # a restock only
    created = data.get("created_at")
    return StoreRefund(
        order_id=ident(data, "order_id"),
        refund_id=ident(data, "id"),
        amount=amount,
        occurred_at=iso_time(created, "created_at") if created else now,
    )


def _customer(data: dict[str, Any]) -> StoreCustomer:
    names = " ".join(n for n in (text(data, "first_name"), text(data, "last_name")) if n)
    return StoreCustomer(
        customer_id=ident(data, "id"),
        name=names or None,
        email=text(data, "email"),
        phone=text(data, "phone"),
    )
