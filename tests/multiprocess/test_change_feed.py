"""The change feed on the dev store: what one process publishes, another hears, by polling
(the dev store has no change streams), once, and only for the member or tenant it concerns."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from api.events import WalletBroker
from loyalty.clock import SystemClock
from mongo.change_feed import ChangeFeed
from mongo.client import Database
from mongo.tenant_changes import TenantChanges


class Process:
    def __init__(self, database: Database) -> None:
        self.broker = WalletBroker()
        self.changes = TenantChanges()
        self.forgotten: list[str] = []
        self.heard = asyncio.Event()
        self.changes.listen(self.forget)
        self.feed = ChangeFeed(database.db, self.broker, self.changes, SystemClock())

    def forget(self, slug: str) -> None:
        self.forgotten.append(slug)
        self.heard.set()


@pytest.fixture
async def processes(
    two_databases: tuple[Database, Database],
) -> AsyncIterator[tuple[Process, Process]]:
    first, second = Process(two_databases[0]), Process(two_databases[1])
    first.feed.start()
    second.feed.start()
    yield first, second
    await first.feed.stop()
    await second.feed.stop()


async def poked(queue: asyncio.Queue[None], within: float = 1.0) -> bool:
    try:
        await asyncio.wait_for(queue.get(), within)
    except TimeoutError:
        return False
    return True


async def test_a_wallet_change_reaches_a_subscriber_of_the_other_process(
    processes: tuple[Process, Process],
) -> None:
    # given a subscriber of acme/m1 on the second process
    writer, reader = processes
    queue = reader.feed.subscribe("acme", "m1")
    await asyncio.sleep(0.3)  # both readers have polled once
    # when the first process announces a change of that wallet
    started = time.monotonic()
    writer.feed.publish("acme", "m1")
    # then the subscriber hears it within a second, by polling (no change streams here)
    assert await poked(queue)
    print(f"\nwallet event across clients: {(time.monotonic() - started) * 1000:.0f} ms")
    assert reader.feed.mode == "polling"
    # and hears it once: the overlapping polls do not repeat it
    assert not await poked(queue, within=0.6)


async def test_only_that_members_subscribers_hear_it(
    processes: tuple[Process, Process],
) -> None:
    # given subscribers of the same member id in another tenant, and of another member
    writer, reader = processes
    other_tenant = reader.feed.subscribe("globex", "m1")
    other_member = reader.feed.subscribe("acme", "m2")
    concerned = reader.feed.subscribe("acme", "m1")
    # when acme/m1 changes
    writer.feed.publish("acme", "m1")
    # then only its subscriber is poked
    assert await poked(concerned)
    assert other_tenant.empty()
    assert other_member.empty()


async def test_a_process_hears_its_own_change_at_once_and_only_once(
    processes: tuple[Process, Process],
) -> None:
    # given a subscriber on the process that publishes
    writer, _ = processes
    queue = writer.feed.subscribe("acme", "m1")
    # when it publishes
    writer.feed.publish("acme", "m1")
    # then the poke is there before any write or poll, and the feed does not bring it back
    assert queue.qsize() == 1
    queue.get_nowait()
    await writer.feed.flush()
    assert not await poked(queue, within=0.6)


async def test_a_tenant_change_makes_the_other_process_forget_its_copies(
    processes: tuple[Process, Process],
) -> None:
    # given two processes
    writer, reader = processes
    # when the first announces that acme's keys changed (as the tenant cache does)
    await writer.changes.announce("acme")
    # then the second forgets acme within a second; the announcer is not told its own news
    await asyncio.wait_for(reader.heard.wait(), 1.0)
    assert reader.forgotten == ["acme"]
    assert writer.forgotten == []


async def test_events_published_together_are_written_in_one_batch(
    processes: tuple[Process, Process], two_databases: tuple[Database, Database]
) -> None:
    # given a burst of 50 changes (a bulk job)
    writer, reader = processes
    queues = [reader.feed.subscribe("acme", f"m{i}") for i in range(50)]
    # when they are published in one go
    for i in range(50):
        writer.feed.publish("acme", f"m{i}")
    await writer.feed.flush()
    # then all 50 are stored, and every subscriber hears its own
    assert await two_databases[0].db["change_feed"].count_documents({}) == 50
    for queue in queues:
        assert await poked(queue)
