"""Two workers fanning out the same campaign at once: every member is queued (and pushed)
once, the campaign's progress never moves back, and its count is exact."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.usecases.campaigns import create_campaign
from mongo.client import Database
from notifications.campaigns import run_due_campaigns
from notifications.dispatch import drain
from tests.interleave import Gate, Paused, until_stopped
from tests.store.workers import GatedSender, tenant_with_devices

EVERYONE = 5
PAGE = 2  # three pages: 2 + 2 + 1


async def campaign_state(database: Database) -> tuple[str, int]:
    doc = await database.db["campaigns"].find_one({"tenant": "acme"})
    assert doc is not None
    return doc["status"], doc["queued"]


async def test_a_worker_left_behind_stops_where_the_other_moved_on(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a campaign to everyone; worker A queued the first page and stopped before writing
    # the next
    tenant, _ = await tenant_with_devices(deps, clock, EVERYONE)
    text = LocalizedText(en="Sale today")
    await create_campaign(
        deps, tenant, name="Eid", segment=None, tier_id=None, title=text, body=text, send_at=None
    )
    gate = Gate()
    a_deps = replace(deps, outbox=Paused(deps.outbox, "enqueue_many", gate, nth=2))
    a = asyncio.create_task(run_due_campaigns(a_deps, tenant, page=PAGE))
    await until_stopped(a, gate)
    # when worker B picks the campaign up where A's progress says, and finishes it
    b_queued = await run_due_campaigns(deps, tenant, page=PAGE)
    gate.open()
    a_queued = await a
    # then A stopped (B had moved on), the campaign is done, and its count is exact
    assert (a_queued, b_queued) == (2, 3)
    assert await campaign_state(database) == ("DONE", EVERYONE)
    # and each member gets the push once
    sender = GatedSender("log")
    await drain(deps, tenant, sender)
    clock.advance(timedelta(hours=1))
    await run_due_campaigns(deps, tenant, page=PAGE)
    await drain(deps, tenant, sender)
    assert sorted(sender.tokens) == [f"tok-{n}" for n in range(EVERYONE)]


async def test_two_workers_on_the_same_page_count_each_member_once(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given worker A read the campaign and its first page, and stopped before writing it
    tenant, _ = await tenant_with_devices(deps, clock, EVERYONE)
    text = LocalizedText(en="Sale today")
    await create_campaign(
        deps, tenant, name="Eid", segment=None, tier_id=None, title=text, body=text, send_at=None
    )
    gate = Gate()
    a_deps = replace(deps, outbox=Paused(deps.outbox, "enqueue_many", gate, nth=1))
    a = asyncio.create_task(run_due_campaigns(a_deps, tenant, page=PAGE))
    await until_stopped(a, gate)
    # when worker B runs the whole campaign, then A goes on from the start
    b_queued = await run_due_campaigns(deps, tenant, page=PAGE)
    gate.open()
    a_queued = await a
    # then A queued nothing and moved nothing back
    assert (a_queued, b_queued) == (0, EVERYONE)
    assert await campaign_state(database) == ("DONE", EVERYONE)
    assert await database.db["outbox"].count_documents({"tenant": "acme"}) == EVERYONE


async def test_time_cursors_only_move_forward(deps: Deps, clock: FrozenClock) -> None:
    # given a worker recorded its scan up to now
    await deps.cursors.set("acme", "win-back", clock.now())
    # when a stale worker records an older scan
    await deps.cursors.set("acme", "win-back", clock.now() - timedelta(minutes=3))
    # then the newer mark stays
    assert await deps.cursors.get("acme", "win-back") == clock.now()


async def test_another_workers_drain_sends_part_of_a_campaign_while_it_runs(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given worker A sending a campaign of three pages, one page behind: it has written the
    # first two and stopped before claiming the first
    tenant, _ = await tenant_with_devices(deps, clock, 6)
    text = LocalizedText(en="Sale today")
    await create_campaign(
        deps, tenant, name="Eid", segment=None, tier_id=None, title=text, body=text, send_at=None
    )
    gate = Gate()
    a_deps = replace(deps, outbox=Paused(deps.outbox, "claim_rows", gate, nth=1))
    a_sender, b_sender = GatedSender("a"), GatedSender("b")
    a = asyncio.create_task(run_due_campaigns(a_deps, tenant, page=PAGE, sender=a_sender))
    await until_stopped(a, gate)
    # when worker B's drain runs meanwhile, then A goes on
    b_handled = await drain(deps, tenant, b_sender)
    gate.open()
    await a
    # then B sent the two pages A had written, A the last one, and each member got one push
    assert b_handled == 4
    assert (sorted(a_sender.tokens), sorted(b_sender.tokens)) == (
        ["tok-4", "tok-5"],
        ["tok-0", "tok-1", "tok-2", "tok-3"],
    )
    assert await campaign_state(database) == ("DONE", 6)
    sent = {"tenant": "acme", "status": "SENT"}
    assert await database.db["outbox"].count_documents(sent) == 6
