"""The outbox's batch writes: many rows per round trip, each still tied to the claim that holds
it (a drain whose hold lapsed writes nothing), for campaigns and drains at scale."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.errors import BulkWriteError

from loyalty.notification_ports import CampaignCounts, Postponement
from loyalty.notifications import Notification, NotificationStatus
from mongo.codec import utc_or_none

_SENDING = NotificationStatus.SENDING.value
_DUPLICATE = 11000
_WAITING = {NotificationStatus.PENDING.value, NotificationStatus.SENDING.value}


def _claimed(tenant: str, claim: str, ids: list[str]) -> dict[str, Any]:
    return {"_id": {"$in": ids}, "tenant": tenant, "status": _SENDING, "claim": claim}


async def held_ids(c: Any, matched: int, ids: list[str], held: dict[str, Any]) -> set[str]:
    """The rows of `ids` a claim holds after an update that matched `matched` of them under
    `held`: all of them when it matched every one, none when it matched none, else read back."""
    unique = set(ids)
    if matched == len(unique):
        return unique
    if not matched:
        return set()
    return {doc["_id"] for doc in await c.find(held, {"_id": 1}).to_list(None)}


def postponed_fields(
    until: datetime,
    attempts: int,
    reason: str | None,
    retry_tokens: tuple[str, ...] | None,
    delivered: int | None,
) -> dict[str, Any]:
    """A row back to PENDING until `until` (one row, or a group sharing the same change)."""
    fields: dict[str, Any] = {
        "status": NotificationStatus.PENDING.value,
        "not_before": until,
        "attempts": attempts,
        "reason": reason,
        "dispatched": False,
    }
    if retry_tokens is not None:
        fields["retry_tokens"] = list(retry_tokens)
    if delivered is not None:
        fields["delivered"] = delivered
    return fields


class OutboxBatches:
    _c: Any
    _caps: Any

    def _doc(self, notification: Notification) -> dict[str, Any]:
        raise NotImplementedError

    async def enqueue_many(self, notifications: list[Notification]) -> list[Notification]:
        if not notifications:
            return []
        docs = [self._doc(n) for n in notifications]
        try:
            await self._c.insert_many(docs, ordered=False)
        except BulkWriteError as error:
            errors = error.details.get("writeErrors", [])
            if any(e.get("code") != _DUPLICATE for e in errors):
                raise
            # Rows written before (a re-run): theirs stand, and are not ours to send.
            taken = {e["index"] for e in errors}
            return [n for i, n in enumerate(notifications) if i not in taken]
        return notifications

    async def dispatching(
        self,
        tenant: str,
        claim: str,
        ids: list[str],
        until: datetime,
        waiting: list[str] | None = None,
    ) -> set[str]:
        if not ids:
            return set()
        held = _claimed(tenant, claim, ids)
        marked = await self._c.update_many(
            held, {"$set": {"not_before": until, "dispatched": True}}
        )
        if waiting:
            # By id, not by claim: a store without secondary indexes (the dev store) then
            # touches only these rows.
            await self._c.update_many(
                _claimed(tenant, claim, waiting), {"$set": {"not_before": until}}
            )
        return await held_ids(self._c, marked.matched_count, ids, held)

    async def finish_many(
        self,
        tenant: str,
        claim: str,
        ids: list[str],
        status: NotificationStatus,
        *,
        at: datetime,
        reason: str | None = None,
        sender: str | None = None,
    ) -> None:
        if not ids:
            return
        changes: dict[str, Any] = {
            "status": status.value,
            "reason": reason,
            "sender": sender,
            "finished_at": at,  # TTL index finished_at_ttl_30d
            "dispatched": False,
        }
        update: dict[str, Any] = {"$set": changes}
        if status is NotificationStatus.SENT:
            changes["sent_at"] = at
            update["$inc"] = {"attempts": 1}
        await self._c.update_many(_claimed(tenant, claim, ids), update)

    async def postpone_many(self, tenant: str, claim: str, later: list[Postponement]) -> None:
        """One write per distinct change (quiet hours put whole zones to the same moment)."""
        groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        for p in later:
            key = (p.until, p.attempts, p.reason, p.retry_tokens, p.delivered)
            groups[key].append(p.row_id)
        for (until, attempts, reason, retry_tokens, delivered), ids in groups.items():
            fields = postponed_fields(until, attempts, reason, retry_tokens, delivered)
            await self._c.update_many(_claimed(tenant, claim, ids), {"$set": fields})

    async def take_daily_slots(
        self, tenant: str, claim: str, wanted: dict[tuple[str, str], int], cap: int
    ) -> dict[tuple[str, str], int]:
        """Each (member, day) document keeps the first `cap` takers, so concurrent drains never
        exceed the cap together. A day's first push creates its document holding this claim's
        slots (an insert is atomic); on a document that exists, or that another drain created
        meanwhile, this claim is pushed once per wanted slot ($push with $slice is atomic per
        document) and what stayed is read back."""
        if not wanted or cap <= 0:
            return {key: 0 for key in wanted}
        ids = {f"{tenant}:{member}:{day}": (member, day) for member, day in wanted}
        existing = {
            doc["_id"]
            for doc in await self._caps.find({"_id": {"$in": list(ids)}}, {"_id": 1}).to_list(None)
        }
        fresh: list[dict[str, Any]] = [
            {
                "_id": key,
                "tenant": tenant,
                "takers": [claim] * min(wanted[ids[key]], cap),
                # That local day is over in every time zone two UTC days after it began.
                "expire_at": datetime.fromisoformat(ids[key][1]).replace(tzinfo=UTC)
                + timedelta(days=2),
            }
            for key in ids
            if key not in existing
        ]
        taken = {ids[doc["_id"]]: len(doc["takers"]) for doc in fresh}
        if fresh:
            try:
                await self._caps.insert_many(fresh, ordered=False)
            except BulkWriteError as error:  # another drain created some meanwhile
                errors = error.details["writeErrors"]
                if any(e.get("code") != _DUPLICATE for e in errors):
                    raise
                for e in errors:
                    del taken[ids[fresh[e["index"]]["_id"]]]
        shared = [key for key in ids if ids[key] not in taken]
        if not shared:
            return taken
        by_count: dict[int, list[str]] = defaultdict(list)
        for key in shared:
            by_count[wanted[ids[key]]].append(key)
        for count, keys in by_count.items():
            await self._caps.update_many(
                {"_id": {"$in": keys}, f"takers.{cap - 1}": {"$exists": False}},
                {"$push": {"takers": {"$each": [claim] * count, "$slice": cap}}},
            )
        docs = await self._caps.find({"_id": {"$in": shared}}).to_list(None)
        return taken | {ids[doc["_id"]]: doc.get("takers", []).count(claim) for doc in docs}

    async def campaign_counts(self, tenant: str, campaign_id: str) -> CampaignCounts:
        """Grouped from the campaign's rows (index tenant_campaign_status)."""
        pipeline = [
            {"$match": {"tenant": tenant, "campaign": campaign_id}},
            {
                "$group": {
                    "_id": {"status": "$status", "reason": "$reason"},
                    "count": {"$sum": 1},
                    "first": {"$min": "$finished_at"},
                    "last": {"$max": "$finished_at"},
                }
            },
        ]
        pending = sent = 0
        skipped: dict[str, int] = {}
        failed: dict[str, int] = {}
        first: datetime | None = None
        last: datetime | None = None
        async for group in await self._c.aggregate(pipeline):
            status, reason = group["_id"]["status"], group["_id"].get("reason")
            count = group["count"]
            if status in _WAITING:
                pending += count
                continue
            began, ended = utc_or_none(group["first"]), utc_or_none(group["last"])
            if began is not None and (first is None or began < first):
                first = began
            if ended is not None and (last is None or ended > last):
                last = ended
            if status == NotificationStatus.SENT.value:
                sent += count
            elif status == NotificationStatus.SKIPPED.value:
                skipped[reason or ""] = skipped.get(reason or "", 0) + count
            else:
                failed[reason or ""] = failed.get(reason or "", 0) + count
        return CampaignCounts(pending, sent, skipped, failed, first, last)
