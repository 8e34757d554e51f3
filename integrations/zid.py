"""Zid: the body is the order (or the customer) itself; each subscription (order.create,
order.status.update, order.payment_status.update, customer.create, customer.update) posts to
the same URL, so the kind is read from the shape: an order has an `order_status`.

Zid has no partial refund event: an order modified after payment gets a credit note and a
lower `order_total`, which the next order event carries. So the total is the order as the
customer pays it now (`total_is_current`), and a lower one refunds the difference.

Zid's times ("2026-01-13 12:00:00") carry no offset and Zid documents no store time zone in
its payloads: a time without an offset is read in the program's time zone."""

from __future__ import annotations

import hashlib
from datetime import datetime
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
    OrderAmounts,
    OrderState,
    StoreCustomer,
    StoreCustomerEvent,
    StoreOrder,
    UnknownEvent,
)

# Zid's order_status codes. "new" and the preparation steps earn on PAID only once the
# payment_status says paid (cash on delivery is paid at delivery).
_ENDED = {
    "canceled": OrderState.CANCELLED,
    "cancelled": OrderState.CANCELLED,
    "voided": OrderState.CANCELLED,
    "failed": OrderState.CANCELLED,
    "denied": OrderState.CANCELLED,
    "expired": OrderState.CANCELLED,
    "refunded": OrderState.REFUNDED,
    "reversed": OrderState.REFUNDED,
    "chargeback": OrderState.REFUNDED,
}
_UNDER_WAY = ("new", "processed", "preparing", "ready", "indelivery")


def read(body: bytes, now: datetime, zone: str) -> Delivery:
    """`zone`: the program's time zone, for Zid's times without an offset."""
    data = load(body)
    delivery_id = "sha256:" + hashlib.sha256(body).hexdigest()
    if "order_status" in data:
        order = _order(data, now, zone)
        state = order.state.lower() if order.state is not None else "update"
        return Delivery(delivery_id, f"order.{state}", order)
    if "id" in data and ("email" in data or "mobile" in data):
        return Delivery(delivery_id, "customer", StoreCustomerEvent(_customer(data), now))
    return Delivery(delivery_id, "unknown", UnknownEvent("unknown"))


def _state(code: str, payment_status: str | None) -> OrderState | None:
    code = code.lower()
    if code in _ENDED:
        return _ENDED[code]
    if code == "delivered":
        return OrderState.DELIVERED
    if code in _UNDER_WAY:
        return OrderState.PAID if payment_status == "paid" else OrderState.CREATED
    return None


def _order(data: dict[str, Any], now: datetime, zone: str) -> StoreOrder:
    status = obj(data, "order_status")
    code = text(status, "code") or ""
    # A status that says nothing about earning (reverse_in_progress, say) still brings the
    # order's total: None.
    state = _state(code, text(data, "payment_status"))
    invoice = _invoice(data)
    updated = data.get("updated_at")
    return StoreOrder(
        order_id=ident(data, "id"),
        state=state,
        occurred_at=local_time(updated, zone, "updated_at") if updated else now,
        placed_at=local_time(data.get("created_at"), zone, "created_at"),
        customer=_customer(obj(data, "customer")),
        amounts=OrderAmounts(
            total=money(data.get("order_total"), "order_total"),
            currency=text(data, "currency_code") or "",
            shipping=money(invoice.get("shipping", 0), "shipping"),
            tax=money(invoice.get("vat", 0), "vat"),
        ),
        total_is_current=True,
        points_reservation_id=_reservation(data),
    )


def _reservation(data: dict[str, Any]) -> str | None:
    """A storefront paying with points writes the reservation into the order's note: Zid's
    order carries the customer's note on its `customer` (documented OrderCustomer.note)."""
    customer = data.get("customer")
    for note in (data.get("notes"), customer.get("note") if isinstance(customer, dict) else None):
        found = reservation_in_note(note)
        if found is not None:
            return found
    return None


def _invoice(data: dict[str, Any]) -> dict[str, Any]:
    """The payment invoice lines by code (shipping, vat, ...), when Zid sends them."""
    payment = data.get("payment")
    lines = payment.get("invoice") if isinstance(payment, dict) else None
    if not isinstance(lines, list):
        return {}
    return {
        line["code"]: line.get("value", 0)
        for line in lines
        if isinstance(line, dict) and isinstance(line.get("code"), str)
    }


def _customer(data: dict[str, Any]) -> StoreCustomer:
    return StoreCustomer(
        customer_id=ident(data, "id"),
        name=text(data, "name"),
        email=text(data, "email"),
        phone=text(data, "mobile"),
        birthday=birthday(data.get("birth_date") or data.get("birthday")),
    )
