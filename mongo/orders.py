"""Orders, idempotent on the merchant's order id."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pymongo.errors import DuplicateKeyError

from loyalty.earning import OrderLine
from loyalty.money import minor_units
from loyalty.orders import LineSpend, Order, PastOrder, Refund
from mongo.codec import dec, dec_from, utc


def _key(tenant: str, order_id: str) -> str:
    return f"{tenant}:{order_id}"


def _doc(order: Order) -> dict[str, Any]:
    return {
        "_id": _key(order.tenant, order.order_id),
        "tenant": order.tenant,
        "order_id": order.order_id,
        "member_id": order.member_id,
        "total": dec(order.total),
        "currency": order.currency,
        # Integer copies of the money for aggregation (statistics sum them in the database).
        "total_minor": minor_units(order.total, order.currency),
        "refunded_minor": sum(minor_units(r.amount, order.currency) for r in order.refunds),
        "lines": [
            {
                "sku": line.sku,
                "category": line.category,
                "quantity": line.quantity,
                "unit_price": dec(line.unit_price),
            }
            for line in order.lines
        ],
        "placed_at": order.placed_at,
        "points": order.points,
        "pending": order.pending,
        "request_hash": order.request_hash,
        "version": order.version,
        "refunds": [_refund_doc(r) for r in order.refunds],
        "pending_from": order.pending_from,
    }


def _refund_doc(refund: Refund) -> dict[str, Any]:
    return {
        "key": refund.key,
        "amount": dec(refund.amount),
        "points": refund.points,
        "at": refund.at,
    }


def order_from(doc: dict[str, Any]) -> Order:
    return Order(
        tenant=doc["tenant"],
        order_id=doc["order_id"],
        member_id=doc["member_id"],
        total=dec_from(doc["total"]) or Decimal(0),
        currency=doc["currency"],
        lines=tuple(
            OrderLine(
                line["sku"],
                line.get("category"),
                line["quantity"],
                dec_from(line["unit_price"]) or Decimal(0),
            )
            for line in doc.get("lines", [])
        ),
        placed_at=utc(doc["placed_at"]),
        points=doc["points"],
        pending=doc["pending"],
        request_hash=doc["request_hash"],
        version=doc.get("version", 0),
        refunds=tuple(
            Refund(r["key"], dec_from(r["amount"]) or Decimal(0), r["points"], utc(r["at"]))
            for r in doc.get("refunds", [])
        ),
        pending_from=utc(doc["pending_from"]) if doc.get("pending_from") else None,
    )


class MongoOrders:
    def __init__(self, db: Any) -> None:
        self._c = db["orders"]

    async def insert(self, order: Order) -> tuple[Order, bool]:
        try:
            await self._c.insert_one(_doc(order))
        except DuplicateKeyError:
            existing = await self.get(order.tenant, order.order_id)
            assert existing is not None
            return existing, False
        return order, True

    async def get(self, tenant: str, order_id: str) -> Order | None:
        doc = await self._c.find_one({"_id": _key(tenant, order_id), "tenant": tenant})
        return order_from(doc) if doc else None

    async def add_refund(self, order: Order, refund: Refund) -> bool:
        """Conditional on the version read: two concurrent refunds cannot both pass the
        'not more than the order total' check."""
        result = await self._c.update_one(
            {
                "_id": _key(order.tenant, order.order_id),
                "tenant": order.tenant,
                "version": order.version,
                "refunds.key": {"$ne": refund.key},
            },
            {
                "$push": {"refunds": _refund_doc(refund)},
                "$inc": {
                    "version": 1,
                    "refunded_minor": minor_units(refund.amount, order.currency),
                },
            },
        )
        return bool(result.matched_count == 1)

    async def member_orders_since(
        self, tenant: str, member_id: str, since: datetime | None, *, lines: bool = False
    ) -> list[PastOrder]:
        """Newest first (index tenant_member_placed_at_id); `since` None = all of them. Reads
        only the fields the engagement rules use: a member's whole order history with every
        line would otherwise be read on each tier, segment and badge evaluation."""
        query: dict[str, Any] = {"tenant": tenant, "member_id": member_id}
        if since is not None:
            query["placed_at"] = {"$gte": since}
        projection = PAST_ORDER | (PAST_ORDER_LINES if lines else {})
        cursor = self._c.find(query, projection).sort("placed_at", -1)
        return [past_order_from(doc) for doc in await cursor.to_list(None)]


PAST_ORDER = {
    "_id": 0,
    "total": 1,
    "placed_at": 1,
    "points": 1,
    "refunds.amount": 1,
    "refunds.points": 1,
}
PAST_ORDER_LINES = {"lines.category": 1, "lines.quantity": 1, "lines.unit_price": 1}


def past_order_from(doc: dict[str, Any]) -> PastOrder:
    refunds = doc.get("refunds", [])
    return PastOrder(
        total=dec_from(doc["total"]) or Decimal(0),
        placed_at=utc(doc["placed_at"]),
        points=doc["points"],
        refunded=sum((dec_from(r["amount"]) or Decimal(0) for r in refunds), Decimal(0)),
        clawed_points=sum(r["points"] for r in refunds),
        lines=tuple(
            LineSpend(
                line["category"], (dec_from(line["unit_price"]) or Decimal(0)) * line["quantity"]
            )
            for line in doc.get("lines", [])
            if line.get("category")
        ),
    )
