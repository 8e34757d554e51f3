"""A reminder run reads every threshold's window from one cursor, and a run that dies
between two bulk writes, run again, leaves each reminder in the outbox exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.notification_ports import Audiences, ExpiringWallet
from loyalty.notifications import Notification
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from mongo.client import Database
from notifications import reminders
from notifications.reminders import queue_expiry_reminders
from tests.api.checkout_helpers import reserve
from tests.api.conftest import Api, TenantCreds, enroll, give_points

# Points granted at the test clock's start (2026-01-15 12:00Z) expire 2027-01-16 00:00Z.
FIRST_EXPIRY = datetime(2027, 1, 16, tzinfo=UTC)


class CountingAudiences:
    """The real audiences, counting the windows each reminder scan asked for."""

    def __init__(self, inner: Audiences) -> None:
        self.inner = inner
        self.scans: list[int] = []

    def expiring_within(
        self, tenant: str, windows: Sequence[tuple[datetime, datetime]]
    ) -> AsyncIterator[ExpiringWallet]:
        self.scans.append(len(windows))
        return self.inner.expiring_within(tenant, windows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class DiesOnSecondWrite:
    """The real outbox, until the second bulk write of a run: the worker dies there."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.writes = 0

    async def enqueue_many(self, rows: list[Notification], **kwargs: Any) -> list[Notification]:
        self.writes += 1
        if self.writes == 2:
            raise ConnectionError("worker killed mid-run")
        written: list[Notification] = await self.inner.enqueue_many(rows, **kwargs)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def _tenant(deps: Deps) -> Tenant:
    tenant = await deps.tenants.get("acme")
    assert tenant is not None
    return tenant


async def _outbox_keys(database: Database) -> list[str]:
    docs = await database.db["outbox"].find({"tenant": "acme"}, {"_id": 1}).to_list(None)
    return sorted(doc["_id"] for doc in docs)


async def test_lots_in_two_thresholds_are_reminded_in_one_run_from_one_scan(
    api: Api, acme: TenantCreds, deps: Deps, database: Database
) -> None:
    # given a member with 50 points expiring on 2027-01-16 and 30 more granted 20 days later
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 50, "g1")
    api.clock.advance(timedelta(days=20))
    await give_points(api, acme, "c1", 30, "g2")
    # when the run looks 4 days before the first expiry (the second is 24 days away)
    api.clock.set(FIRST_EXPIRY - timedelta(days=4))
    counting = CountingAudiences(deps.audiences)
    queued = await queue_expiry_reminders(replace(deps, audiences=counting), await _tenant(deps))
    # then one scan covered the three thresholds' windows, and each lot got its threshold's row
    assert counting.scans == [3]
    assert queued == 2
    keys = await _outbox_keys(database)
    assert [key.rsplit(":", 2)[1:] for key in keys] == [["2027-01-16", "7"], ["2027-02-05", "30"]]


async def test_a_run_killed_between_two_bulk_writes_and_run_again_queues_each_reminder_once(
    api: Api, acme: TenantCreds, deps: Deps, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given five members with points expiring in 20 days, and bulk writes of two rows
    for number in range(5):
        await enroll(api, acme, f"c{number}")
        await give_points(api, acme, f"c{number}", 10 + number, f"g{number}")
    api.clock.set(FIRST_EXPIRY - timedelta(days=20))
    monkeypatch.setattr(reminders, "BATCH", 2)
    tenant = await _tenant(deps)
    # when the worker dies at its second write
    dying = DiesOnSecondWrite(deps.outbox)
    with pytest.raises(ConnectionError):
        await queue_expiry_reminders(replace(deps, outbox=dying), tenant)
    # then what it wrote stays, and its windows are not marked done
    assert len(await _outbox_keys(database)) == 2
    assert await deps.cursors.get("acme", reminders.job_name(30)) is None
    # when the run is repeated, then again
    again = await queue_expiry_reminders(deps, tenant)
    once_more = await queue_expiry_reminders(deps, tenant)
    # then every member has exactly one reminder: the rerun wrote only the missing three
    keys = await _outbox_keys(database)
    assert (again, once_more) == (3, 0)
    assert len(keys) == len(set(keys)) == 5
    assert all(key.endswith(":2027-01-16:30") for key in keys)


async def test_points_of_a_lapsed_hold_are_announced_with_the_lots_they_came_from(
    api: Api, acme: TenantCreds, deps: Deps, database: Database
) -> None:
    # given 1,000 points expiring on 2027-01-16, 300 of them held for a cart that never paid
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 1000, "g1")
    held = await reserve(api, acme, "c1", 300, "cart-1")
    assert held["userErrors"] == []
    # when the run looks 5 days before the expiry (the hold lapsed long before; no job wrote it)
    api.clock.set(FIRST_EXPIRY - timedelta(days=5))
    queued = await queue_expiry_reminders(deps, await _tenant(deps))
    # then the reminder announces the lots' 700 points and the 300 back from the hold
    assert queued == 1
    row = await database.db["outbox"].find_one({"tenant": "acme"})
    assert row["dedupe_key"].endswith(":2027-01-16:7")
    assert row["data"]["points"] == "1000"
