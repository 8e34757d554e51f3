"""Claiming outbox rows for one drain: due rows (oldest first), or the rows a writer has in
hand, each under a fresh claim id that every later write of the drain is fenced by."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from loyalty.notifications import Notification, NotificationStatus
from mongo.outbox_batches import held_ids
from mongo.outbox_rows import row_from

CLAIMABLE = [NotificationStatus.PENDING.value, NotificationStatus.SENDING.value]


class OutboxClaims:
    _c: Any

    async def claim_due(
        self, tenant: str, now: datetime, hold_until: datetime, limit: int
    ) -> list[Notification]:
        # The due rows' ids first, then one conditional update claims them under a fresh claim
        # id (rows another drain took meanwhile no longer match), then the rows won are read
        # whole: a drain that lost the race to another read only ids.
        cursor = (
            self._c.find(
                {"tenant": tenant, "status": {"$in": CLAIMABLE}, "not_before": {"$lte": now}},
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
        # Read after the claim: each row as the claim left it (SENDING, held, `claim` set).
        won = self._c.find({"tenant": tenant, "claim": claim}).batch_size(len(ids))
        docs = {doc["_id"]: doc for doc in await won.to_list(None)}
        return [row_from(docs[i]) for i in ids if i in docs]  # in the order they were due

    async def claim_rows(
        self, rows: list[Notification], now: datetime, hold_until: datetime
    ) -> list[Notification]:
        if not rows:
            return []
        claim = uuid.uuid4().hex
        ids = [row.id for row in rows]
        matched = await self._claim(ids, now, hold_until, claim)
        mine = await held_ids(self._c, matched, ids, {"tenant": rows[0].tenant, "claim": claim})
        sending = NotificationStatus.SENDING
        return [
            replace(row, status=sending, not_before=hold_until, claim=claim)
            for row in rows
            if row.id in mine
        ]

    async def _claim(self, ids: list[str], now: datetime, until: datetime, claim: str) -> int:
        """How many of these rows (still claimable and due) `claim` now holds."""
        taken = await self._c.update_many(
            {"_id": {"$in": ids}, "status": {"$in": CLAIMABLE}, "not_before": {"$lte": now}},
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
