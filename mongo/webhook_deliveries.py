"""Outbound webhook deliveries: one document per (endpoint, event), claimed by one sender at a
time.

A delivery is due while `next_attempt_at` is set and past; a sender claims a page of due ones
under a fresh claim id, pushing `next_attempt_at` to the end of its hold, and records each
attempt only while its claim still holds the delivery (the claim is the fencing token: a
sender that stalled past its hold and lost the delivery to another one writes nothing). A
finished delivery has no `next_attempt_at`, so the due index holds only live ones."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from loyalty.webhook_ports import DeliveryPage
from loyalty.webhooks import DeliveryStatus, WebhookDelivery, WebhookEvent
from mongo.codec import utc, utc_or_none

_FINISHED = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)


def _doc(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "_id": f"{d.tenant}:{d.id}",
        "tenant": d.tenant,
        "endpoint_id": d.endpoint_id,
        "event_id": d.event_id,
        "event": d.event.value,
        "body": d.body,
        "created_at": d.created_at,
        "status": d.status.value,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "first_attempt_at": d.first_attempt_at,
        "last_attempt_at": d.last_attempt_at,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "delivered_at": d.delivered_at,
        "claim": d.claim,
    }


def _from(doc: dict[str, Any]) -> WebhookDelivery:
    return WebhookDelivery(
        id=doc["_id"].split(":", 1)[1],
        tenant=doc["tenant"],
        endpoint_id=doc["endpoint_id"],
        event_id=doc["event_id"],
        event=WebhookEvent(doc["event"]),
        body=doc["body"],
        created_at=utc(doc["created_at"]),
        status=DeliveryStatus(doc["status"]),
        attempts=doc.get("attempts", 0),
        next_attempt_at=utc_or_none(doc.get("next_attempt_at")),
        first_attempt_at=utc_or_none(doc.get("first_attempt_at")),
        last_attempt_at=utc_or_none(doc.get("last_attempt_at")),
        last_status_code=doc.get("last_status_code"),
        last_error=doc.get("last_error"),
        delivered_at=utc_or_none(doc.get("delivered_at")),
        claim=doc.get("claim"),
    )


class MongoWebhookDeliveries:
    def __init__(self, db: Any) -> None:
        self._c = db["webhook_deliveries"]

    async def enqueue(self, delivery: WebhookDelivery) -> bool:
        try:
            await self._c.insert_one(_doc(delivery))
        except DuplicateKeyError:
            return False
        return True

    async def claim_due(
        self, tenant: str, now: datetime, hold_until: datetime, limit: int
    ) -> list[WebhookDelivery]:
        due = {"tenant": tenant, "next_attempt_at": {"$lte": now}}
        docs = await (
            self._c.find(due)
            .sort("next_attempt_at", 1)
            .hint("tenant_next_attempt_at")
            .limit(limit)
            .to_list(None)
        )
        if not docs:
            return []
        claim = uuid.uuid4().hex
        await self._c.update_many(
            {**due, "_id": {"$in": [doc["_id"] for doc in docs]}},
            {
                "$set": {
                    "status": DeliveryStatus.SENDING.value,
                    "next_attempt_at": hold_until,
                    "claim": claim,
                }
            },
        )
        mine = await self._c.find({"tenant": tenant, "claim": claim}).to_list(None)
        return sorted(
            (replace(_from(doc), claim=claim) for doc in mine),
            key=lambda d: (d.created_at, d.id),
        )

    async def settle(
        self,
        delivery: WebhookDelivery,
        *,
        status: DeliveryStatus,
        at: datetime,
        status_code: int | None,
        error: str | None,
        next_attempt_at: datetime | None,
    ) -> bool:
        changes: dict[str, Any] = {
            "status": status.value,
            "last_attempt_at": at,
            "last_status_code": status_code,
            "last_error": error,
            "next_attempt_at": next_attempt_at,
            "claim": None,
        }
        if delivery.first_attempt_at is None:
            changes["first_attempt_at"] = at
        if status is DeliveryStatus.DELIVERED:
            changes["delivered_at"] = at
        if status in _FINISHED:
            changes["finished_at"] = at
        result = await self._c.update_one(
            {
                "_id": f"{delivery.tenant}:{delivery.id}",
                "tenant": delivery.tenant,
                "status": DeliveryStatus.SENDING.value,
                "claim": delivery.claim,
            },
            {"$set": changes, "$inc": {"attempts": 1}},
        )
        return bool(result.modified_count == 1)

    async def get(self, tenant: str, delivery_id: str) -> WebhookDelivery | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{delivery_id}", "tenant": tenant})
        return _from(doc) if doc else None

    async def page(
        self,
        tenant: str,
        *,
        endpoint_id: str | None,
        status: DeliveryStatus | None,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> DeliveryPage:
        query: dict[str, Any] = {"tenant": tenant}
        hint = "tenant_created_at_id"
        if endpoint_id is not None:
            query["endpoint_id"] = endpoint_id
            hint = "tenant_endpoint_created_at_id"
        if status is not None:
            query["status"] = status.value
            if endpoint_id is None:
                hint = "tenant_status_created_at_id"
        if after is not None:
            at, last_id = after
            query["$or"] = [
                {"created_at": {"$lt": at}},
                {"created_at": at, "_id": {"$lt": f"{tenant}:{last_id}"}},
            ]
        docs = await (
            self._c.find(query)
            .sort([("created_at", DESCENDING), ("_id", DESCENDING)])
            .hint(hint)
            .limit(limit + 1)
            .to_list(None)
        )
        return DeliveryPage(items=[_from(d) for d in docs[:limit]], has_next=len(docs) > limit)

    async def redeliver(self, tenant: str, delivery_id: str, at: datetime) -> bool:
        result = await self._c.update_one(
            {
                "_id": f"{tenant}:{delivery_id}",
                "tenant": tenant,
                "status": {"$ne": DeliveryStatus.SENDING.value},
            },
            {
                "$set": {
                    "status": DeliveryStatus.PENDING.value,
                    "next_attempt_at": at,
                    "first_attempt_at": None,
                    "finished_at": None,
                }
            },
        )
        return bool(result.modified_count == 1)

    async def fail_waiting(self, tenant: str, endpoint_id: str, at: datetime, reason: str) -> int:
        result = await self._c.update_many(
            {
                "tenant": tenant,
                "endpoint_id": endpoint_id,
                "status": DeliveryStatus.PENDING.value,
            },
            {
                "$set": {
                    "status": DeliveryStatus.FAILED.value,
                    "next_attempt_at": None,
                    "last_error": reason,
                    "finished_at": at,
                }
            },
        )
        return int(result.modified_count)
