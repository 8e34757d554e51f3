"""Leaderboard snapshots: rebuilt by the scheduler from the maintained counters
(mongo/leaderboard_counters.py), read by rank.

A request reads the board's meta document, the top N entries (index on rank) and the caller's
own entry (index on member): its cost does not depend on how many members are ranked."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from loyalty.leaderboards import Score
from mongo.codec import object_ids, utc, utc_or_none
from mongo.counter_backfill import CounterBackfill

CHUNK = 1000


def snapshot_id(updated_at: datetime) -> ObjectId:
    """Snapshot ids sort by the moment they describe (seconds, then milliseconds), then at
    random: a total order in which a later refresh is newer, whoever wrote it."""
    seconds = int(updated_at.timestamp())
    millis = updated_at.microsecond // 1000
    return ObjectId(seconds.to_bytes(4, "big") + millis.to_bytes(2, "big") + os.urandom(6))


class MongoLeaderboards:
    def __init__(self, db: Any) -> None:
        self._counters = db["leaderboard_counters"]  # written with the ledger (members)
        self._backfill = CounterBackfill(db)
        self._members = db["members"]
        self._boards = db["leaderboards"]
        self._entries = db["leaderboard_entries"]

    async def scores(self, tenant: str, board: str) -> list[Score]:
        """The board's positive scores from its maintained counters, in rank order: a refresh
        costs one pass over the board's ranked members, never over the tenant's ledger."""
        cursor = (
            self._counters.find(
                {"tenant": tenant, "board": board, "score": {"$gt": 0}},
                {"member_id": 1, "score": 1, "reached_at": 1},
            )
            .sort([("score", -1), ("reached_at", 1), ("member_id", 1)])
            .hint("tenant_board_score_reached_at")
        )
        rows = await cursor.to_list(None)
        return [Score(r["member_id"], int(r["score"]), utc(r["reached_at"])) for r in rows]

    async def backfill_counters(self, tenant: str, zone: ZoneInfo) -> int:
        """Once per tenant: counters for the entries written before counters existed."""
        return await self._backfill.run_once(tenant, zone)

    async def public_names(self, tenant: str, member_ids: list[str]) -> dict[str, str | None]:
        """Display names of members who did not opt out (opted-out members are left out)."""
        names: dict[str, str | None] = {}
        for start in range(0, len(member_ids), CHUNK):
            oids = object_ids(member_ids[start : start + CHUNK])
            cursor = self._members.find(
                {"tenant": tenant, "_id": {"$in": oids}, "leaderboard_opt_out": {"$ne": True}},
                {"display_name": 1},
            )
            for doc in await cursor.to_list(None):
                names[str(doc["_id"])] = doc.get("display_name")
        return names

    async def publish(
        self, tenant: str, board: str, rows: list[dict[str, Any]], updated_at: datetime
    ) -> bool:
        """Writes the new snapshot's entries, then points the board at it, then drops older
        snapshots: a reader always finds one complete snapshot. Two workers may publish at once
        (a scheduler lease can lapse): the pointer only moves to a newer snapshot, and only
        snapshots older than the pointer are dropped, so neither deletes what the other shows.
        False when a newer snapshot was already shown (this one is dropped)."""
        snapshot = snapshot_id(updated_at)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            await self._entries.insert_many(
                [{**row, "tenant": tenant, "board": board, "snapshot": snapshot} for row in chunk]
            )
        older = {"_id": f"{tenant}:{board}", "snapshot": {"$lt": snapshot}}
        point = {"$set": {"tenant": tenant, "snapshot": snapshot, "updated_at": updated_at}}
        try:
            await self._boards.update_one(older, point, upsert=True)
            published = True
        except DuplicateKeyError:
            # The board shows a newer snapshot, or another worker created it just now.
            result = await self._boards.update_one(older, point)
            published = result.matched_count == 1
        current, _ = await self.board(tenant, board)
        await self._entries.delete_many(
            {"tenant": tenant, "board": board, "snapshot": {"$lt": current}}
        )
        return published

    async def board(self, tenant: str, board: str) -> tuple[Any, datetime | None]:
        doc = await self._boards.find_one({"_id": f"{tenant}:{board}"})
        if doc is None:
            return None, None
        return doc["snapshot"], utc_or_none(doc.get("updated_at"))

    async def top(self, tenant: str, board: str, snapshot: Any, first: int) -> list[dict[str, Any]]:
        """The first N in list order. Ties share a rank, so `rank <= first` may match more than
        N entries; the index walks them in (rank, position) order and the limit stops it."""
        cursor = (
            self._entries.find(
                {"tenant": tenant, "board": board, "snapshot": snapshot, "rank": {"$lte": first}}
            )
            .sort([("rank", 1), ("position", 1)])
            .hint("tenant_board_snapshot_rank_position")
            .limit(first)
        )
        return list(await cursor.to_list(None))

    async def entry(
        self, tenant: str, board: str, snapshot: Any, member_id: str
    ) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._entries.find_one(
            {"tenant": tenant, "board": board, "snapshot": snapshot, "member_id": member_id}
        )
        return doc

    async def forget_member(self, tenant: str, member_id: str) -> None:
        """Opting out hides the member at once; ranks close the gap at the next refresh."""
        await self._entries.delete_many({"tenant": tenant, "member_id": member_id})
