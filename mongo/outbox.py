"""The notification outbox: one document per (tenant, dedupe key), drained by the sender."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from loyalty.notification_ports import Backlog, LogPage
from loyalty.notifications import CATEGORY, Notification, NotificationKind, NotificationStatus
from mongo.codec import utc, utc_or_none
from mongo.outbox_batches import OutboxBatches, postponed_fields

_CLAIMABLE = [NotificationStatus.PENDING.value, NotificationStatus.SENDING.value]
_FINISHED = {NotificationStatus.SENT, NotificationStatus.SKIPPED, NotificationStatus.FAILED}


# Enum values looked up in plain dicts: an enum's `.value` is a Python-level property, and
# bulk writers turn thousands of rows into documents at a time.
_KINDS = {kind: kind.value for kind in NotificationKind}
_CATEGORIES = {kind: CATEGORY[kind].value for kind in NotificationKind}
_STATUSES = {status: status.value for status in NotificationStatus}
_KIND_OF = {kind.value: kind for kind in NotificationKind}  # (and back, for reads)
_STATUS_OF = {status.value: status for status in NotificationStatus}


def _doc(n: Notification) -> dict[str, Any]:
    kind = n.kind
    return {
        "_id": n.id,
        "tenant": n.tenant,
        "member_id": n.member_id,
        "kind": _KINDS[kind],
        "category": _CATEGORIES[kind],
        "dedupe_key": n.dedupe_key,
        "locale": n.locale,
        "title": n.title,
        "body": n.body,
        "data": dict(n.data),
        "created_at": n.created_at,
        "not_before": n.not_before,
        "expires_at": n.expires_at,
        "status": _STATUSES[n.status],
        "reason": n.reason,
        "attempts": n.attempts,
        "sender": n.sender,
        "sent_at": n.sent_at,
        "retry_tokens": None if n.retry_tokens is None else list(n.retry_tokens),
        "delivered": n.delivered,
        "campaign": n.campaign_id,  # campaign progress counts by it (tenant_campaign_status)
        "claim": n.claim,
        "dispatched": n.dispatched,
    }


def _from(doc: dict[str, Any], **claimed: Any) -> Notification:
    """The row; `claimed` gives the fields a claim just set (one construction per row: a
    frozen dataclass's `replace` costs as much again, for every row of every claim)."""
    fields = dict(
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        kind=_KIND_OF[doc["kind"]],
        dedupe_key=doc["dedupe_key"],
        locale=doc["locale"],
        title=doc["title"],
        body=doc["body"],
        created_at=utc(doc["created_at"]),
        not_before=utc(doc["not_before"]),
        data=doc.get("data") or {},
        expires_at=utc_or_none(doc.get("expires_at")),
        status=_STATUS_OF[doc["status"]],
        reason=doc.get("reason"),
        attempts=doc.get("attempts", 0),
        sender=doc.get("sender"),
        sent_at=utc_or_none(doc.get("sent_at")),
        retry_tokens=None if doc.get("retry_tokens") is None else tuple(doc["retry_tokens"]),
        delivered=doc.get("delivered", 0),
        claim=doc.get("claim"),
        dispatched=bool(doc.get("dispatched")),
    )
    fields.update(claimed)
    return Notification(**fields)


def _held(notification: Notification) -> dict[str, Any]:
    """The row, as long as the drain that claimed it still holds it."""
    return {
        "_id": notification.id,
        "tenant": notification.tenant,
        "status": NotificationStatus.SENDING.value,
        "claim": notification.claim,
    }


class MongoOutbox(OutboxBatches):
    def __init__(self, db: Any) -> None:
        self._c = db["outbox"]
        self._caps = db["notification_caps"]

    def _doc(self, notification: Notification) -> dict[str, Any]:
        return _doc(notification)

    async def enqueue(self, notification: Notification) -> bool:
        try:
            await self._c.insert_one(_doc(notification))
        except DuplicateKeyError:
            return False
        return True

    async def claim_due(
        self, tenant: str, now: datetime, hold_until: datetime, limit: int
    ) -> list[Notification]:
        # The due rows' ids first, then one conditional update claims them under a fresh claim
        # id (rows another drain took meanwhile no longer match), then the rows won are read
        # whole: a drain that lost the race to another read only ids.
        cursor = (
            self._c.find(
                {"tenant": tenant, "status": {"$in": _CLAIMABLE}, "not_before": {"$lte": now}},
                {"_id": 1},
            )
            .sort("not_before", 1)
            .limit(limit)
            .batch_size(limit)  # (one round trip, not a first batch of 101 and a getMore)
        )
        ids = [doc["_id"] for doc in await cursor.to_list(None)]
        if not ids:
            return []
        claim = uuid.uuid4().hex
        if not await self._claim(ids, now, hold_until, claim):
            return []
        won = self._c.find({"tenant": tenant, "claim": claim}).batch_size(len(ids))
        docs = {doc["_id"]: doc for doc in await won.to_list(None)}
        sending = NotificationStatus.SENDING
        return [  # in the order they were due
            _from(docs[i], status=sending, not_before=hold_until, claim=claim)
            for i in ids
            if i in docs
        ]

    async def claim_rows(
        self, rows: list[Notification], now: datetime, hold_until: datetime
    ) -> list[Notification]:
        if not rows:
            return []
        claim = uuid.uuid4().hex
        ids = [row.id for row in rows]
        matched = await self._claim(ids, now, hold_until, claim)
        if matched == len(ids):
            mine = set(ids)  # (every row matched: all of them are ours)
        elif matched:
            held = {"tenant": rows[0].tenant, "claim": claim}
            mine = {doc["_id"] for doc in await self._c.find(held, {"_id": 1}).to_list(None)}
        else:
            return []
        sending = NotificationStatus.SENDING
        return [
            replace(row, status=sending, not_before=hold_until, claim=claim)
            for row in rows
            if row.id in mine
        ]

    async def _claim(self, ids: list[str], now: datetime, until: datetime, claim: str) -> int:
        """How many of these rows (still claimable and due) `claim` now holds."""
        taken = await self._c.update_many(
            {"_id": {"$in": ids}, "status": {"$in": _CLAIMABLE}, "not_before": {"$lte": now}},
            {
                "$set": {
                    "status": NotificationStatus.SENDING.value,
                    "not_before": until,
                    "claim": claim,
                }
            },
        )
        return int(taken.matched_count)

    async def hold(self, tenant: str, claim: str, until: datetime) -> set[str]:
        """Extends the claim's hold on its rows still SENDING; returns their ids (rows another
        drain took after the hold lapsed are not among them)."""
        held = {"tenant": tenant, "claim": claim, "status": NotificationStatus.SENDING.value}
        await self._c.update_many(held, {"$set": {"not_before": until}})
        docs = await self._c.find(held, {"_id": 1}).to_list(None)
        return {doc["_id"] for doc in docs}

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
        pending = {"tenant": tenant, "status": {"$in": _CLAIMABLE}}
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
        return LogPage(items=[_from(d) for d in docs[:limit]], has_next=len(docs) > limit)

    async def take_daily_slot(self, tenant: str, member_id: str, day: str, cap: int) -> bool:
        """Atomic 'count if below the cap' per member and local day (see take_daily_slots)."""
        taken = await self.take_daily_slots(tenant, uuid.uuid4().hex, {(member_id, day): 1}, cap)
        return taken.get((member_id, day), 0) == 1
