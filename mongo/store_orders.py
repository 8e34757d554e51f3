"""Store orders' merged facts, and orders held for customers who are not members yet."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from loyalty.earning import OrderLine
from loyalty.store_events import OrderAmounts, OrderState, StoreCustomer
from loyalty.store_inbox import (
    HeldOrder,
    HeldRefund,
    OrderNews,
    ReportedTotal,
    StoreOrderFacts,
    StoreRefundFact,
)
from loyalty.stores import StorePlatform
from mongo.codec import dec, dec_from, utc, utc_or_none


def _lines_doc(lines: tuple[OrderLine, ...]) -> list[dict[str, Any]]:
    return [
        {"sku": x.sku, "category": x.category, "quantity": x.quantity, "price": dec(x.unit_price)}
        for x in lines
    ]


def _lines_from(docs: list[dict[str, Any]]) -> tuple[OrderLine, ...]:
    return tuple(
        OrderLine(d["sku"], d.get("category"), d["quantity"], dec_from(d["price"]) or Decimal(0))
        for d in docs
    )


def _customer_doc(customer: StoreCustomer) -> dict[str, Any]:
    return {
        "id": customer.customer_id,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "birthday": customer.birthday.isoformat() if customer.birthday else None,
    }


def _customer_from(doc: dict[str, Any] | None) -> StoreCustomer | None:
    if not doc:
        return None
    birthday = doc.get("birthday")
    return StoreCustomer(
        doc["id"],
        doc.get("name"),
        doc.get("email"),
        doc.get("phone"),
        date.fromisoformat(birthday) if birthday else None,
    )


def _amounts_from(doc: dict[str, Any] | None) -> OrderAmounts | None:
    if not doc:
        return None
    return OrderAmounts(
        total=dec_from(doc["total"]) or Decimal(0),
        currency=doc["currency"],
        shipping=dec_from(doc["shipping"]) or Decimal(0),
        tax=dec_from(doc["tax"]) or Decimal(0),
    )


def _refund_key(refund_id: str) -> str:
    # Field names may not hold dots or dollars: the store's refund id is hashed into one.
    return hashlib.sha256(refund_id.encode()).hexdigest()[:24]


def _amounts_doc(amounts: OrderAmounts) -> dict[str, Any]:
    return {
        "total": dec(amounts.total),
        "currency": amounts.currency,
        "shipping": dec(amounts.shipping),
        "tax": dec(amounts.tax),
    }


def _total_key(total: ReportedTotal) -> str:
    """One entry per (time, total) reported: a redelivery lands on its own entry."""
    return _refund_key(f"{total.at.isoformat()}|{total.amounts.total.normalize()}")


def _totals_from(docs: dict[str, Any]) -> tuple[ReportedTotal, ...]:
    totals = []
    for doc in docs.values():
        amounts = _amounts_from(doc["amounts"])
        assert amounts is not None
        totals.append(ReportedTotal(amounts, utc(doc["at"])))
    return tuple(sorted(totals, key=lambda t: (t.at, t.amounts.total)))


def _facts_from(doc: dict[str, Any]) -> StoreOrderFacts:
    refunds = sorted(
        (
            StoreRefundFact(r["id"], dec_from(r.get("amount")), utc(r["at"]))
            for r in (doc.get("refunds") or {}).values()
        ),
        key=lambda r: (r.at, r.refund_id),
    )
    return StoreOrderFacts(
        tenant=doc["tenant"],
        platform=StorePlatform(doc["platform"]),
        order_id=doc["order_id"],
        customer=_customer_from(doc.get("customer")),
        amounts=_amounts_from(doc.get("amounts")),
        lines=_lines_from(doc.get("lines") or []),
        placed_at=utc_or_none(doc.get("placed_at")),
        states={OrderState(k): utc(v) for k, v in (doc.get("states") or {}).items()},
        delivered_at=utc_or_none(doc.get("delivered_at")),
        refunds=tuple(refunds),
        totals=_totals_from(doc.get("totals") or {}),
        points_reservation_id=doc.get("points_reservation_id"),
    )


class MongoStoreOrders:
    def __init__(self, db: Any) -> None:
        self._c = db["store_orders"]

    async def merge(
        self, tenant: str, platform: StorePlatform, order_id: str, news: OrderNews
    ) -> tuple[StoreOrderFacts, bool]:
        update: dict[str, Any] = {
            "$setOnInsert": {"platform": platform.value, "order_id": order_id},
        }
        first: dict[str, Any] = {}
        if news.state is not None and news.at is not None:
            first[f"states.{news.state.value}"] = news.at
        if news.delivered_at is not None:
            first["delivered_at"] = news.delivered_at
        if first:
            update["$min"] = first  # each fact as first reported
        if news.customer is not None and news.amounts is not None:
            update["$set"] = {
                "customer": _customer_doc(news.customer),
                "amounts": _amounts_doc(news.amounts),
                "lines": _lines_doc(news.lines),
                "placed_at": news.placed_at,
            }
        if news.refund is not None:
            update.setdefault("$set", {})[f"refunds.{_refund_key(news.refund.refund_id)}"] = {
                "id": news.refund.refund_id,
                "amount": dec(news.refund.amount),
                "at": news.refund.at,
            }
        if news.total is not None:
            update.setdefault("$set", {})[f"totals.{_total_key(news.total)}"] = {
                "amounts": _amounts_doc(news.total.amounts),
                "at": news.total.at,
            }
        if news.points_reservation_id is not None:
            update.setdefault("$set", {})["points_reservation_id"] = news.points_reservation_id
        query = {"_id": f"{tenant}:{platform.value}:{order_id}", "tenant": tenant}
        for _ in range(2):  # two first deliveries of one order race on the upsert
            try:
                before = await self._c.find_one_and_update(
                    query, update, upsert=True, return_document=ReturnDocument.BEFORE
                )
                break
            except DuplicateKeyError:
                continue
        after = await self._c.find_one(query)
        assert after is not None
        return _facts_from(after), _is_news(before, news)

    async def for_order(self, tenant: str, order_id: str) -> list[StoreOrderFacts]:
        cursor = self._c.find({"tenant": tenant, "order_id": order_id})
        return [_facts_from(doc) async for doc in cursor]


def _is_news(before: dict[str, Any] | None, news: OrderNews) -> bool:
    if before is None:
        return True
    if news.state is not None and news.state.value not in (before.get("states") or {}):
        return True
    if news.refund is not None:
        return _refund_key(news.refund.refund_id) not in (before.get("refunds") or {})
    if news.total is not None and _total_key(news.total) not in (before.get("totals") or {}):
        return True
    return news.delivered_at is not None and before.get("delivered_at") is None


class MongoHeldOrders:
    def __init__(self, db: Any) -> None:
        self._c = db["held_orders"]

    async def hold(self, order: HeldOrder) -> HeldOrder:
        doc = {
            "_id": f"{order.tenant}:{order.order_id}",
            "tenant": order.tenant,
            "external_id": order.external_id,
            "order_id": order.order_id,
            "total": dec(order.total),
            "currency": order.currency,
            "lines": _lines_doc(order.lines),
            "placed_at": order.placed_at,
            "pending_from": order.pending_from,
            "held_at": order.held_at,
            "refunds": [],
        }
        try:
            await self._c.insert_one(doc)
        except DuplicateKeyError:
            existing = await self._c.find_one({"_id": doc["_id"], "tenant": order.tenant})
            if existing is not None:
                return _held_from(existing)
        return order

    async def get(self, tenant: str, order_id: str) -> HeldOrder | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{order_id}", "tenant": tenant})
        return None if doc is None else _held_from(doc)

    async def add_refund(self, held: HeldOrder, refund: HeldRefund) -> bool:
        query: dict[str, Any] = {
            "_id": f"{held.tenant}:{held.order_id}",
            "tenant": held.tenant,
            "refunds.key": {"$ne": refund.key},
        }
        if held.refunds:
            query["refunds"] = {"$size": len(held.refunds)}
        else:  # held before refunds were kept: no list yet
            query["$or"] = [{"refunds": {"$exists": False}}, {"refunds": {"$size": 0}}]
        doc = {"key": refund.key, "amount": dec(refund.amount), "at": refund.at}
        result = await self._c.update_one(query, {"$push": {"refunds": doc}})
        return bool(result.matched_count == 1)

    async def for_customer(self, tenant: str, external_id: str) -> list[HeldOrder]:
        cursor = self._c.find({"tenant": tenant, "external_id": external_id}).sort("placed_at", 1)
        return [_held_from(doc) async for doc in cursor]

    async def release(self, tenant: str, order_id: str) -> None:
        await self._c.delete_one({"_id": f"{tenant}:{order_id}", "tenant": tenant})


def _held_from(doc: dict[str, Any]) -> HeldOrder:
    return HeldOrder(
        tenant=doc["tenant"],
        external_id=doc["external_id"],
        order_id=doc["order_id"],
        total=dec_from(doc["total"]) or Decimal(0),
        currency=doc["currency"],
        lines=_lines_from(doc.get("lines") or []),
        placed_at=utc(doc["placed_at"]),
        pending_from=utc_or_none(doc.get("pending_from")),
        held_at=utc(doc["held_at"]),
        refunds=tuple(
            HeldRefund(r["key"], dec_from(r["amount"]) or Decimal(0), utc(r["at"]))
            for r in doc.get("refunds") or []
        ),
    )
