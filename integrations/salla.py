"""Salla: `{event, merchant, created_at, data}`; orders share one model (status slug, amounts
as {amount, currency} objects, the customer), customers another.

Salla reports no partial refund event: a partial refund (or an item removed) lowers the order's
`amounts.total`, and Salla sends the order again (`order.total.price.updated`,
`order.products.updated`, `order.updated`). So every order event's total is the order as the
customer pays it now (`total_is_current`), and a lower one refunds the difference."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from integrations.payloads import (
    birthday,
    ident,
    load,
    local_time,
    money,
    obj,
    reservation_in_note,
    text,
)
from loyalty.store_events import (
    Delivery,
    MalformedPayload,
    OrderAmounts,
    OrderState,
    StoreCustomer,
    StoreCustomerEvent,
    StoreEvent,
    StoreOrder,
    UnknownEvent,
)

# Salla's order status slugs, as far as earning goes. Others (custom statuses keep their
# original slug) leave the order where it was.
_STATES = {
    "payment_pending": OrderState.CREATED,
    "under_review": OrderState.CREATED,
    "in_progress": OrderState.PAID,
    "shipped": OrderState.PAID,
    "delivering": OrderState.PAID,
    "delivered": OrderState.DELIVERED,
    "completed": OrderState.DELIVERED,
    "canceled": OrderState.CANCELLED,
    "restored": OrderState.REFUNDED,
}
_ORDER_EVENTS = {
    "order.created": None,  # the state is the order's status
    "order.updated": None,
    "order.status.updated": None,
    "order.payment.updated": None,
    "order.total.price.updated": None,
    "order.products.updated": None,
    "order.cancelled": OrderState.CANCELLED,
    "order.refunded": OrderState.REFUNDED,
}
_CUSTOMER_EVENTS = ("customer.created", "customer.updated")


def read(body: bytes, now: datetime, zone: str) -> Delivery:
    """`zone`: the program's time zone, for a Salla time that names none."""
    data = load(body)
    kind = data.get("event")
    if not isinstance(kind, str):
        raise MalformedPayload("event is missing")
    # Salla gives no delivery id: a redelivery is the same body.
    delivery_id = "sha256:" + hashlib.sha256(body).hexdigest()
    return Delivery(delivery_id, kind, _event(kind, data, now, zone))


def _event(kind: str, data: dict[str, Any], now: datetime, zone: str) -> StoreEvent:
    occurred = _created_at(data.get("created_at"), now)
    if kind in _ORDER_EVENTS:
        return _order(_order_of(obj(data, "data")), _ORDER_EVENTS[kind], occurred, zone)
    if kind in _CUSTOMER_EVENTS:
        return StoreCustomerEvent(_customer(obj(data, "data")), occurred)
    return UnknownEvent(kind)


def _order_of(data: dict[str, Any]) -> dict[str, Any]:
    """`order.status.updated` documents the status change with the order under `order`; the
    other order events send the order itself."""
    nested = data.get("order")
    return nested if "amounts" not in data and isinstance(nested, dict) else data


def _order(
    order: dict[str, Any], forced: OrderState | None, occurred: datetime, zone: str
) -> StoreEvent:
    status = order.get("status")
    slug = status.get("slug") if isinstance(status, dict) else None
    # A status that says nothing about earning (a merchant's own) still brings the total.
    state = forced or _STATES.get(slug or "")
    amounts = obj(order, "amounts")
    total = obj(amounts, "total")
    shipping = amounts.get("shipping_cost")
    tax = amounts.get("tax")
    tax_amount = tax.get("amount") if isinstance(tax, dict) else None
    placed = order.get("date")
    return StoreOrder(
        order_id=ident(order, "id"),
        state=state,
        occurred_at=occurred,
        placed_at=local_time(placed.get("date"), placed.get("timezone") or zone, "date")
        if isinstance(placed, dict)
        else None,
        customer=_customer(obj(order, "customer")),
        amounts=OrderAmounts(
            total=money(total.get("amount"), "amounts.total"),
            currency=str(total.get("currency") or order.get("currency") or ""),
            shipping=_amount_of(shipping, "amounts.shipping_cost"),
            tax=_amount_of(tax_amount, "amounts.tax"),
        ),
        total_is_current=True,
        points_reservation_id=_reservation(order),
    )


def _reservation(order: dict[str, Any]) -> str | None:
    """A storefront paying with points writes the reservation into the order's note, or the
    note of one of its items (Salla's order model carries item `notes`)."""
    items = order.get("items")
    notes = (
        [order.get("notes")] + [item.get("notes") for item in items if isinstance(item, dict)]
        if isinstance(items, list)
        else [order.get("notes")]
    )
    for note in notes:
        found = reservation_in_note(note)
        if found is not None:
            return found
    return None


def _amount_of(value: Any, what: str) -> Any:
    if not isinstance(value, dict):
        return money(0, what)
    return money(value.get("amount", 0), what)


def _customer(data: dict[str, Any]) -> StoreCustomer:
    names = " ".join(n for n in (text(data, "first_name"), text(data, "last_name")) if n)
    mobile = text(data, "mobile")
    code = text(data, "mobile_code")
    phone = f"{code}{mobile}" if code and mobile else mobile
    return StoreCustomer(
        customer_id=ident(data, "id"),
        name=names or None,
        email=text(data, "email"),
        phone=phone,
        birthday=birthday(data.get("birthday")),
    )


def _created_at(value: Any, now: datetime) -> datetime:
    """Salla's envelope time reads like "Sun Jun 26 2022 12:21:48 GMT+0300"."""
    if isinstance(value, str):
        for pattern in ("%a %b %d %Y %H:%M:%S GMT%z", "%Y-%m-%dT%H:%M:%S%z"):
            try:
                return datetime.strptime(value.replace("Z", "+0000"), pattern).astimezone(UTC)
            except ValueError:
                continue
    return now
