"""Between ticks a worker keeps sending for the tenants its tick (or campaign job) found pushes
for: a tick's drain stops after MAX_BATCHES, the send loop goes on, a batch per hot tenant in
turn, until nothing is due; tenants with nothing due cost nothing meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from api import scheduler as scheduler_module
from api.scheduler import Scheduler
from loyalty.clock import FrozenClock
from loyalty.notifications import NotificationKind, PushMessage, PushResult
from loyalty.ports import Deps
from mongo.client import Database
from notifications.outbox import queue
from tests.store.workers import GatedSender, tenant_with_devices


class Signalling(GatedSender):
    """Records what it sends and says when it has sent `expected` messages."""

    def __init__(self, expected: int) -> None:
        super().__init__("fcm", batch_size=2)
        self.expected = expected
        self.all_sent = asyncio.Event()

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        results = await super().send(messages)
        if len(self.sent) >= self.expected:
            self.all_sent.set()
        return results


async def test_a_worker_keeps_sending_a_hot_tenants_pushes_between_ticks(
    database: Database, deps: Deps, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given six pushes due, and a tick whose drain stops after one batch of two
    tenant, members = await tenant_with_devices(deps, clock, 6)
    for member in members:
        texts = ("Gold", "Welcome to Gold")
        kind = NotificationKind.TIER_UPGRADED
        await queue(deps, tenant, member, kind, f"tier:{member.id}", {}, texts=texts)
    monkeypatch.setattr(scheduler_module, "MAX_BATCHES", 1)
    sender = Signalling(expected=6)
    scheduler = Scheduler(database, deps, interval=3600, sender=sender)
    scheduler.batch = 2
    scheduler.jobs = [("push-send", scheduler._drain)]
    sending = asyncio.create_task(scheduler.send_forever())
    try:
        # when the tick runs (its drain sends two and leaves the tenant hot)
        assert await scheduler.tick() == {"push-send": 2}
        # then the send loop sends the other four before any next tick, each once
        await asyncio.wait_for(sender.all_sent.wait(), timeout=10)
    finally:
        sending.cancel()
    assert sorted(sender.tokens) == [f"tok-{n}" for n in range(6)]
    rows = await database.db["outbox"].find({"tenant": "acme"}, {"status": 1}).to_list(None)
    assert [row["status"] for row in rows] == ["SENT"] * 6
    # and a pass cools down a tenant with nothing due, and one that is gone
    scheduler.hot = {"acme", "gone"}
    assert await scheduler.send_pass() == 0
    assert scheduler.hot == set()
