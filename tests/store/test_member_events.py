"""The member event log: once per key, once per consumer."""

from __future__ import annotations

from datetime import datetime, timedelta

from loyalty.clock import FrozenClock
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.ports import Deps


async def test_an_event_is_recorded_once_and_handled_once_per_consumer(
    deps: Deps, clock: FrozenClock
) -> None:
    # given
    event = MemberEvent(
        "acme",
        "m1",
        MemberEventKind.TIER_UPGRADED,
        "gold:2026-01-15",
        clock.now(),
        {"tier": "gold"},
    )
    # when recorded twice
    first, second = await deps.member_events.record(event), await deps.member_events.record(event)
    # then
    assert (first, second) == (True, False)
    kinds = [MemberEventKind.TIER_UPGRADED]
    assert await deps.member_events.unhandled("acme", "push", kinds, 10) == [event]
    assert await deps.member_events.unhandled("globex", "push", kinds, 10) == []
    # when one consumer handles it, another still sees it
    await deps.member_events.mark_handled("acme", "push", event.id)
    assert await deps.member_events.unhandled("acme", "push", kinds, 10) == []
    assert await deps.member_events.unhandled("acme", "badges", kinds, 10) == [event]


def tier_event(member: str, at: datetime) -> MemberEvent:
    return MemberEvent("acme", member, MemberEventKind.TIER_UPGRADED, "gold", at)


async def test_a_consumer_reads_from_its_cursor_and_still_gets_a_late_committed_event(
    deps: Deps, clock: FrozenClock
) -> None:
    # given an event the consumer read but did not handle (it crashed), and a newer one
    kinds = [MemberEventKind.TIER_UPGRADED]
    start = clock.now()
    first = tier_event("m1", start)
    await deps.member_events.record(first)
    clock.advance(timedelta(hours=1))
    await deps.member_events.record(second := tier_event("m2", clock.now()))
    assert await deps.member_events.unhandled("acme", "push", kinds, 1) == [first]
    # when hours pass, it reads again: the cursor waited at the unhandled event
    clock.advance(timedelta(hours=2))
    assert await deps.member_events.unhandled("acme", "push", kinds, 10) == [first, second]
    for event in (first, second):
        await deps.member_events.mark_handled("acme", "push", event.id)
    assert await deps.member_events.unhandled("acme", "push", kinds, 10) == []
    # when events stamped 10 and 20 minutes before that read commit only now
    read_at = clock.now()
    clock.set(read_at - timedelta(minutes=10))
    await deps.member_events.record(late := tier_event("m3", clock.now()))
    clock.set(read_at - timedelta(minutes=20))
    await deps.member_events.record(tier_event("m4", clock.now()))
    clock.set(read_at + timedelta(minutes=1))
    # then the one within the overlap (15 minutes) is read; the range starts there, so events
    # stamped earlier than that are not read again
    assert await deps.member_events.unhandled("acme", "push", kinds, 10) == [late]
