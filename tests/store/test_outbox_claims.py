"""Two drains of the outbox at once: a drain whose hold lapsed (its send outlived HOLD) writes
nothing over the drain that took its rows, and never sends rows it lost; a drain that renews
its hold keeps its rows; and a row that was in flight when its drain lost it is never handed
to the sender a second time (it is recorded SENT, reason UNCONFIRMED)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from loyalty.clock import FrozenClock
from loyalty.members import Member
from loyalty.notifications import NotificationKind, PushError, PushMessage, PushResult
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from mongo.client import Database
from mongo.outbox import MongoOutbox
from notifications.dispatch import HOLD, drain
from notifications.outbox import queue, row_for
from tests.interleave import Gate, until_stopped
from tests.store.workers import Counting, GatedSender, tenant_with_devices


async def queue_tier_pushes(
    deps: Deps, clock: FrozenClock, tenant: Tenant, members: list[Member]
) -> None:
    for member in members:  # one second apart, so a drain takes them in this order
        texts = ("Gold", f"Welcome to Gold, {member.external_id}")
        await queue(
            deps,
            tenant,
            member,
            NotificationKind.TIER_UPGRADED,
            f"tier:{member.id}",
            {},
            texts=texts,
        )
        clock.advance(timedelta(seconds=1))


async def outcomes(database: Database) -> list[tuple[str, str | None]]:
    docs = await database.db["outbox"].find({}).sort("created_at", 1).to_list(None)
    return [(doc["status"], doc.get("sender")) for doc in docs]


async def test_a_stale_drain_cannot_put_a_sent_row_back_to_pending(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given drain A claimed the row and its send (which will ask for a retry) hangs
    tenant, members = await tenant_with_devices(deps, clock, 1)
    await queue_tier_pushes(deps, clock, tenant, members)
    gate = Gate()
    a = GatedSender("a", gates={1: gate}, error=PushError.RETRY)
    first = asyncio.create_task(drain(deps, tenant, a))
    await until_stopped(first, gate)
    # when A's hold lapses, drain B takes the row, then A's send returns
    clock.advance(HOLD + timedelta(minutes=1))
    b = GatedSender("b")
    assert await drain(deps, tenant, b) == 1
    gate.open()
    await first
    # then B recorded the row A had in flight as SENT without sending it again, A's late
    # answer changed nothing, and no later drain sends it
    assert await outcomes(database) == [("SENT", "b")]
    clock.advance(timedelta(hours=2))
    later = GatedSender("later")
    assert await drain(deps, tenant, later) == 0
    assert (b.tokens, later.tokens) == ([], [])


async def test_a_stale_drain_does_not_send_rows_another_drain_took(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given drain A claimed two rows and hangs sending the first (one message per send)
    tenant, members = await tenant_with_devices(deps, clock, 2)
    await queue_tier_pushes(deps, clock, tenant, members)
    gate = Gate()
    a = GatedSender("a", batch_size=1, gates={1: gate})
    first = asyncio.create_task(drain(deps, tenant, a))
    await until_stopped(first, gate)
    # when A's hold lapses, drain B takes both, then A goes on
    clock.advance(HOLD + timedelta(minutes=1))
    b = GatedSender("b")
    assert await drain(deps, tenant, b) == 2
    gate.open()
    await first
    # then A sent only the push that was already in flight, B only the other one: each push
    # left once; both rows are B's, the one A had in flight as UNCONFIRMED
    assert a.tokens == ["tok-0"]
    assert b.tokens == ["tok-1"]
    assert await outcomes(database) == [("SENT", "b"), ("SENT", "b")]
    docs = await database.db["outbox"].find({}).sort("created_at", 1).to_list(None)
    assert [doc["reason"] for doc in docs] == ["UNCONFIRMED", None]


async def test_a_drain_renews_its_hold_while_it_sends(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given drain A claimed two rows and its first send takes most of HOLD
    tenant, members = await tenant_with_devices(deps, clock, 2)
    await queue_tier_pushes(deps, clock, tenant, members)
    slow, second_send = Gate(), Gate()
    a = GatedSender("a", batch_size=1, gates={1: slow, 2: second_send})
    first = asyncio.create_task(drain(deps, tenant, a))
    await until_stopped(first, slow)
    clock.advance(HOLD - timedelta(minutes=1))
    slow.open()
    await until_stopped(first, second_send)
    # when drain B runs after A's first hold would have lapsed
    clock.advance(timedelta(minutes=2))
    b = GatedSender("b")
    assert await drain(deps, tenant, b) == 0
    second_send.open()
    await first
    # then A (which renewed its hold before the second send) sent each row once
    assert (a.tokens, b.tokens) == (["tok-0", "tok-1"], [])
    assert await outcomes(database) == [("SENT", "a"), ("SENT", "a")]


class Renewals:
    """The outbox, noting which rows each wave's `dispatching` renews the hold of."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.waiting: list[list[str] | None] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def dispatching(self, *args: Any, waiting: list[str] | None = None) -> set[str]:
        self.waiting.append(None if waiting is None else sorted(waiting))
        held: set[str] = await self._inner.dispatching(*args, waiting=waiting)
        return held


async def test_the_waiting_rows_hold_is_renewed_only_once_half_of_it_has_passed(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given four rows, sent one per wave, and a second send that takes half of HOLD
    tenant, members = await tenant_with_devices(deps, clock, 4)
    await queue_tier_pushes(deps, clock, tenant, members)
    ids = [
        doc["_id"]
        for doc in await database.db["outbox"].find({}).sort("created_at", 1).to_list(None)
    ]
    outbox = Renewals(deps.outbox)

    class Slow(GatedSender):
        async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
            results = await super().send(messages)
            if len(self.sent) == 2:
                clock.advance(HOLD / 2)
            return results

    # when a drain sends them
    sender = Slow("a", batch_size=1)
    assert await drain(replace(deps, outbox=outbox), tenant, sender) == 4
    # then the first two waves left the others' fresh hold alone, the third renewed the last
    # row's (half of it had passed), and the fourth found it fresh again
    assert outbox.waiting == [None, None, [ids[3]], None]
    assert sender.tokens == ["tok-0", "tok-1", "tok-2", "tok-3"]


async def test_a_claim_reads_whole_only_the_rows_it_won_and_its_wave_reads_nothing_back(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given three due rows, one of them claimed already by another drain's claim of its own
    tenant, members = await tenant_with_devices(deps, clock, 3)
    await queue_tier_pushes(deps, clock, tenant, members)
    now = clock.now()
    [first] = await deps.outbox.claim_due("acme", now, now + HOLD, 1)
    outbox = MongoOutbox(database.db)
    counted = Counting(outbox._c)
    outbox._c = counted
    # when a drain claims the due rows and marks the ones it won dispatched
    rows = await outbox.claim_due("acme", now, now + HOLD, 10)
    claim = rows[0].claim or ""
    held = await outbox.dispatching("acme", claim, [row.id for row in rows], now + HOLD)
    # then it won the other two, in the order they were due, from a read of the due ids, the
    # claim, one read of the rows won, and the wave's update (which matched every row)
    assert [row.member_id for row in rows] == [members[1].id, members[2].id]
    assert first.member_id == members[0].id
    assert held == {row.id for row in rows}
    assert counted.calls == {"find": 2, "update_many": 2}


async def test_a_writer_claims_only_the_rows_of_its_page_no_drain_took(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a page of three rows written at once, and a drain that claimed the first
    tenant, members = await tenant_with_devices(deps, clock, 3)
    now = clock.now()
    kind = NotificationKind.TIER_UPGRADED
    rows = [row_for(now, tenant, m, kind, f"t:{m.id}", ("Gold", "Gold")) for m in members]
    written = await deps.outbox.enqueue_many(rows)
    [taken] = await deps.outbox.claim_due("acme", now, now + HOLD, 1)
    # when the writer claims its page
    mine = await deps.outbox.claim_rows(written, now, now + HOLD)
    # then it holds the other two under a claim of its own, and the drain keeps its row
    assert [row.member_id for row in mine] == [members[1].id, members[2].id]
    assert len({row.claim for row in mine}) == 1 and mine[0].claim != taken.claim
    docs = await database.db["outbox"].find({}).to_list(None)
    claims = {doc["_id"]: doc["claim"] for doc in docs}
    assert claims == {taken.id: taken.claim, **{row.id: row.claim for row in mine}}
    # and claiming the page again gets nothing
    assert await deps.outbox.claim_rows(written, now, now + HOLD) == []
