"""The notification outbox: one document per (tenant, dedupe key), drained by the sender."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from loyalty.notification_ports import Backlog, LogPage
from loyalty.notifications import Notification, NotificationStatus
from mongo.codec import utc
from mongo.outbox_batches import OutboxBatches, postponed_fields
from mongo.outbox_claims import CLAIMABLE, OutboxClaims
from mongo.outbox_rows import row_doc, row_from

_FINISHED = {NotificationStatus.SENT, NotificationStatus.SKIPPED, NotificationStatus.FAILED}


def _held(notification: Notification) -> dict[str, Any]:
    """The row, as long as the drain that claimed it still holds it."""
    return {
        "_id": notification.id,
        "tenant": notification.tenant,
        "status": NotificationStatus.SENDING.value,
        "claim": notification.claim,
    }


class MongoOutbox(OutboxClaims, OutboxBatches):
    def __init__(self, db: Any) -> None:
        self._c = db["outbox"]
        self._caps = db["notification_caps"]

    def _doc(self, notification: Notification) -> dict[str, Any]:
        return row_doc(notification)

    async def enqueue(self, notification: Notification) -> bool:
        try:
            await self._c.insert_one(row_doc(notification))
        except DuplicateKeyError:
            return False
        return True

    async def finish(
        self,
        notification: Notification,
        status: NotificationStatus,
        *,
        at: datetime,
        reason: str | None = None,
        sender: str | None = None,
        body: str | None = None,
    ) -> None:
        changes: dict[str, Any] = {
            "status": status.value,
            "reason": reason,
            "sender": sender,
            "dispatched": False,
        }
        if status in _FINISHED:
            changes["finished_at"] = at  # TTL index finished_at_ttl_30d
        update: dict[str, Any] = {"$set": changes}
        if status is NotificationStatus.SENT:
            changes["sent_at"] = at
            update["$inc"] = {"attempts": 1}  # the send that succeeded was an attempt too
        if body is not None:
            changes["body"] = body
        await self._c.update_one(_held(notification), update)

    async def mark_sent(
        self, tenant: str, claim: str, ids: list[str], *, at: datetime, sender: str
    ) -> None:
        """The common outcome of a drain, in one write (for the rows the claim still holds)."""
        if ids:
            await self._c.update_many(
                {
                    "_id": {"$in": ids},
                    "tenant": tenant,
                    "status": NotificationStatus.SENDING.value,
                    "claim": claim,
                },
                {
                    "$set": {
                        "status": NotificationStatus.SENT.value,
                        "reason": None,
                        "sender": sender,
                        "sent_at": at,
                        "finished_at": at,
                    },
                    "$inc": {"attempts": 1},
                },
            )

    async def postpone(
        self,
        notification: Notification,
        until: datetime,
        *,
        attempts: int,
        reason: str | None,
        retry_tokens: tuple[str, ...] | None = None,
        delivered: int | None = None,
    ) -> None:
        fields = postponed_fields(until, attempts, reason, retry_tokens, delivered)
        await self._c.update_one(_held(notification), {"$set": fields})

    async def backlog(self, tenant: str, now: datetime) -> Backlog:
        """Rows not yet finished, and the earliest due time among those due (index
        tenant_status_not_before serves both)."""
        pending = {"tenant": tenant, "status": {"$in": CLAIMABLE}}
        count = await self._c.count_documents(pending)
        oldest = (
            await self._c.find({**pending, "not_before": {"$lte": now}}, {"not_before": 1})
            .sort("not_before", 1)
            .limit(1)
            .to_list(None)
        )
        return Backlog(count, utc(oldest[0]["not_before"]) if oldest else None)

    async def page(
        self, tenant: str, member_id: str | None, after: tuple[datetime, str] | None, limit: int
    ) -> LogPage:
        """Newest first, by (created_at, _id)."""
        query: dict[str, Any] = {"tenant": tenant}
        if member_id is not None:
            query["member_id"] = member_id
        if after is not None:
            at, last_id = after
            query["$or"] = [
                {"created_at": {"$lt": at}},
                {"created_at": at, "_id": {"$lt": last_id}},
            ]
        cursor = (
            self._c.find(query)
            .sort([("created_at", DESCENDING), ("_id", DESCENDING)])
            .limit(limit + 1)
        )
        docs = await cursor.to_list(None)
        return LogPage(items=[row_from(d) for d in docs[:limit]], has_next=len(docs) > limit)

    async def take_daily_slot(self, tenant: str, member_id: str, day: str, cap: int) -> bool:
        """Atomic 'count if below the cap' per member and local day (see take_daily_slots)."""
        taken = await self.take_daily_slots(tenant, uuid.uuid4().hex, {(member_id, day): 1}, cap)
        return taken.get((member_id, day), 0) == 1
