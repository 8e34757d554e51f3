"""Two workers publishing the same board at once: the board always shows one complete snapshot,
and the newer one wins whatever the order of their writes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from mongo.client import Database
from mongo.leaderboards import MongoLeaderboards
from tests.interleave import Gate, Paused, until_stopped

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def rows(*scores: int) -> list[dict[str, Any]]:
    return [
        {"rank": rank, "member_id": f"m{rank}", "name": None, "score": score}
        for rank, score in enumerate(scores, start=1)
    ]


async def shown(boards: MongoLeaderboards) -> tuple[list[int], datetime | None]:
    snapshot, updated_at = await boards.board("acme", "MONTH")
    top = await boards.top("acme", "MONTH", snapshot, 100)
    return [row["score"] for row in top], updated_at


def paused_worker(database: Database, collection: str, method: str, gate: Gate) -> Any:
    worker = MongoLeaderboards(database.db)
    setattr(worker, collection, Paused(getattr(worker, collection), method, gate))
    return worker


async def test_older_worker_cleaning_up_late_does_not_empty_the_newer_board(
    database: Database,
) -> None:
    # given worker A published its snapshot and stopped before dropping older ones
    gate = Gate()
    a = paused_worker(database, "_entries", "delete_many", gate)
    first = asyncio.create_task(a.publish("acme", "MONTH", rows(30, 20), T0))
    await until_stopped(first, gate)
    # when worker B publishes a newer snapshot, then A finishes its clean-up
    b = MongoLeaderboards(database.db)
    assert await b.publish("acme", "MONTH", rows(50, 40, 10), T0 + timedelta(minutes=1))
    gate.open()
    assert await first
    # then the board shows B's snapshot, complete, and only it is stored
    assert await shown(b) == ([50, 40, 10], T0 + timedelta(minutes=1))
    assert await database.db["leaderboard_entries"].count_documents({}) == 3


async def test_an_older_snapshot_never_replaces_a_newer_one(database: Database) -> None:
    # given worker A (started first) wrote its entries and stopped before pointing the board
    gate = Gate()
    a = paused_worker(database, "_boards", "update_one", gate)
    first = asyncio.create_task(a.publish("acme", "MONTH", rows(30, 20), T0))
    await until_stopped(first, gate)
    # when worker B publishes a newer snapshot, then A goes on
    b = MongoLeaderboards(database.db)
    assert await b.publish("acme", "MONTH", rows(50, 40, 10), T0 + timedelta(minutes=1))
    gate.open()
    # then A's stale snapshot is refused and dropped; B's stays whole
    assert await first is False
    assert await shown(b) == ([50, 40, 10], T0 + timedelta(minutes=1))
    assert await database.db["leaderboard_entries"].count_documents({}) == 3


async def test_a_newer_snapshot_written_while_an_older_one_publishes_wins(
    database: Database,
) -> None:
    # given worker B (newer) wrote its entries and stopped before pointing the board
    gate = Gate()
    b = paused_worker(database, "_boards", "update_one", gate)
    second = asyncio.create_task(
        b.publish("acme", "MONTH", rows(50, 40, 10), T0 + timedelta(minutes=1))
    )
    await until_stopped(second, gate)
    # when the older worker A publishes and cleans up in between, then B goes on
    a = MongoLeaderboards(database.db)
    assert await a.publish("acme", "MONTH", rows(30, 20), T0)
    assert await shown(a) == ([30, 20], T0)
    gate.open()
    # then B's entries survived A's clean-up and B's snapshot is shown
    assert await second
    assert await shown(a) == ([50, 40, 10], T0 + timedelta(minutes=1))
    assert await database.db["leaderboard_entries"].count_documents({}) == 3


async def test_republishing_replaces_the_board(database: Database) -> None:
    # given
    boards = MongoLeaderboards(database.db)
    await boards.publish("acme", "MONTH", rows(30, 20), T0)
    # when
    published = await boards.publish("acme", "MONTH", rows(35), T0 + timedelta(minutes=5))
    # then
    assert published
    assert await shown(boards) == ([35], T0 + timedelta(minutes=5))
    assert await database.db["leaderboard_entries"].count_documents({}) == 1
