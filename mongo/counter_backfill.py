"""Counters for ledger entries written before the counters existed: once per tenant, beside
live writes.

Each counter is set to the regrouping of the member's earning entries on its board up to the
counter's own seq (or, without a counter yet, up to the member's last entry there), on the
condition that the counter's seq is still the one read: a live write that counted meanwhile
makes the condition fail and the member is read again. Entries above that seq are a write in
flight, which counts them itself (its journal's seq is above the counter's). So a backfill
racing with orders counts each entry once, like the writes do."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.errors import DuplicateKeyError

from loyalty.leaderboards import boards_at
from mongo.codec import utc
from mongo.leaderboard_counters import EARNING_TYPES, counter_id

JOB = "leaderboard-counters"
MAX_ATTEMPTS = 16

Entry = tuple[int, int, datetime]  # seq, points, created_at


class CounterBackfill:
    def __init__(self, db: Any) -> None:
        self._ledger = db["ledger"]
        self._counters = db["leaderboard_counters"]
        self._marks = db["job_cursors"]

    async def run_once(self, tenant: str, zone: ZoneInfo) -> int:
        """Backfills the tenant's counters unless done before; returns the counters written."""
        mark_id = f"{tenant}:{JOB}"
        if await self._marks.find_one({"_id": mark_id, "tenant": tenant}) is not None:
            return 0
        written = 0
        member: str | None = None
        entries: list[dict[str, Any]] = []
        # Index tenant_member_seq_unique: one member's entries after another, newest first.
        cursor = (
            self._ledger.find(
                {"tenant": tenant, "type": {"$in": sorted(EARNING_TYPES)}},
                {"member_id": 1, "seq": 1, "points": 1, "created_at": 1},
            )
            .sort([("member_id", 1), ("seq", -1)])
            .hint("tenant_member_seq_unique")
        )
        async for doc in cursor:
            if doc["member_id"] != member and entries:
                written += await self._member(tenant, str(member), entries[::-1], zone)
                entries = []
            member = doc["member_id"]
            entries.append(doc)
        if entries:
            written += await self._member(tenant, str(member), entries[::-1], zone)
        await self._marks.update_one(
            {"_id": mark_id}, {"$set": {"tenant": tenant, "done": True}}, upsert=True
        )
        return written

    async def _member(
        self, tenant: str, member_id: str, docs: list[dict[str, Any]], zone: ZoneInfo
    ) -> int:
        boards: dict[str, list[Entry]] = defaultdict(list)
        for doc in docs:
            at = utc(doc["created_at"])
            for board in boards_at(at, zone):
                boards[board].append((doc["seq"], doc["points"], at))
        for board, entries in boards.items():
            await self._counter(tenant, board, member_id, entries)
        return len(boards)

    async def _counter(self, tenant: str, board: str, member_id: str, entries: list[Entry]) -> None:
        key = counter_id(tenant, board, member_id)
        for _ in range(MAX_ATTEMPTS):
            current = await self._counters.find_one({"_id": key, "tenant": tenant})
            upto = current["seq"] if current is not None else entries[-1][0]
            counted = [e for e in entries if e[0] <= upto]
            score = sum(points for _, points, _ in counted)
            reached_at = max((at for _, _, at in counted), default=None)
            if current is not None:
                result = await self._counters.update_one(
                    {"_id": key, "tenant": tenant, "seq": upto},
                    {"$set": {"score": score, "reached_at": reached_at}},
                )
                if result.matched_count == 1:
                    return
                continue  # a write counted meanwhile: read again
            try:
                await self._counters.insert_one(
                    {
                        "_id": key,
                        "tenant": tenant,
                        "board": board,
                        "member_id": member_id,
                        "score": score,
                        "reached_at": reached_at,
                        "seq": upto,
                    }
                )
                return
            except DuplicateKeyError:
                continue  # a write created it meanwhile: read again
        raise RuntimeError(f"counter {key} kept changing under the backfill")
