"""The member event log: once per key, once per consumer."""

from __future__ import annotations

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
