"""Per-period leaderboard counters, kept with each ledger write.

Each member has one counter per board (all time, the week, the month of the entry, in the
tenant's time zone): the points earned on it and when the last earning entry was made. A
leaderboard refresh reads the counters of one board in rank order instead of regrouping the
tenant's ledger.

Exactly once: a wallet's entries reach the ledger journal by journal (mongo/wallets.py), in seq
order, and a journal is marked synced only after it was written and counted here. Each counter
remembers the highest seq it counted, and a journal's update is conditional on the counter's
seq being below the journal's first entry: a replayed journal (a retry, a crash between the
writes, the ledger sweeper) matches no counter and its upsert collides on `_id`, so it counts
nothing. Every journal below it was counted before its successor could be written, since a
wallet write first copies (and so counts) the journal it found unsynced.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from pymongo.errors import DuplicateKeyError

from loyalty.leaderboards import boards_at
from loyalty.tenants import Tenant
from mongo.codec import utc

# Points earned: orders (EARN or PENDING while in the return window), activities (EARN),
# minus refund claw-backs. Merchant adjustments are corrections, not performance.
EARNING_TYPES = frozenset({"EARN", "PENDING", "REFUND"})

ZoneOf = Callable[[str], Awaitable[ZoneInfo]]


class TenantReader(Protocol):
    async def get(self, slug: str) -> Tenant | None: ...


def zones_of(tenants: TenantReader) -> ZoneOf:
    """The tenant's time zone from its program (UTC for a tenant not found)."""

    async def zone_of(slug: str) -> ZoneInfo:
        tenant = await tenants.get(slug)
        return tenant.program.zone() if tenant is not None else ZoneInfo("UTC")

    return zone_of


def counter_id(tenant: str, board: str, member_id: str) -> str:
    return f"{tenant}:{board}:{member_id}"


@dataclass
class _Delta:
    points: int
    reached_at: datetime
    first_seq: int
    last_seq: int


class LeaderboardCounters:
    def __init__(self, db: Any, zone_of: ZoneOf) -> None:
        self._c = db["leaderboard_counters"]
        self._zone_of = zone_of

    async def count(self, tenant: str, member_id: str, journal: list[dict[str, Any]]) -> None:
        """Adds one journal's earning entries to the member's counters, once."""
        earning = sorted(
            (doc for doc in journal if doc["type"] in EARNING_TYPES), key=lambda d: d["seq"]
        )
        if not earning:
            return
        zone = await self._zone_of(tenant)
        deltas: dict[str, _Delta] = {}
        for doc in earning:
            at = utc(doc["created_at"])
            for board in boards_at(at, zone):
                delta = deltas.get(board)
                if delta is None:
                    deltas[board] = _Delta(doc["points"], at, doc["seq"], doc["seq"])
                else:
                    delta.points += doc["points"]
                    delta.reached_at = max(delta.reached_at, at)
                    delta.last_seq = doc["seq"]
        # Distinct documents: written side by side (one round trip's latency, not three).
        await asyncio.gather(
            *(self._add(tenant, board, member_id, delta) for board, delta in deltas.items())
        )

    async def _add(self, tenant: str, board: str, member_id: str, delta: _Delta) -> None:
        # A counter that counted this journal already matches nothing: its upsert collides on
        # _id and nothing is added.
        with contextlib.suppress(DuplicateKeyError):
            await self._c.update_one(
                {"_id": counter_id(tenant, board, member_id), "seq": {"$lt": delta.first_seq}},
                {
                    "$set": {"tenant": tenant, "board": board, "member_id": member_id},
                    "$inc": {"score": delta.points},
                    "$max": {"reached_at": delta.reached_at, "seq": delta.last_seq},
                },
                upsert=True,
            )
