"""TTL indexes remove only finished documents: each document gets its expiry date when it is
done with, and an unfinished one has none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty.clock import FrozenClock
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.notifications import Notification, NotificationKind, NotificationStatus
from loyalty.ports import Deps
from mongo.client import Database
from tests.store.ttl_helpers import expires_at


async def test_an_idempotency_record_expires_90_days_after_its_claim_once_completed(
    deps: Deps, database: Database, clock: FrozenClock
) -> None:
    # given a claim still in progress
    claimed_at = clock.now()
    await deps.idempotency.claim("acme", "refund", "r-1", "fp")
    assert await expires_at(database.db, "idempotency", "acme:refund:r-1") is None
    # when it completes a day later
    clock.advance(timedelta(days=1))
    await deps.idempotency.complete("acme", "refund", "r-1", {"points": 5})
    # then
    assert await expires_at(database.db, "idempotency", "acme:refund:r-1") == claimed_at + (
        timedelta(days=90)
    )


async def test_a_daily_push_cap_expires_when_its_local_day_is_over_everywhere(
    deps: Deps, database: Database
) -> None:
    # when
    assert await deps.outbox.take_daily_slot("acme", "m1", "2026-01-15", 2) is True
    assert await deps.outbox.take_daily_slot("acme", "m1", "2026-01-15", 2) is True
    assert await deps.outbox.take_daily_slot("acme", "m1", "2026-01-15", 2) is False
    # then (in UTC-12 that day ends at noon UTC on the 16th)
    assert await expires_at(database.db, "notification_caps", "acme:m1:2026-01-15") == (
        datetime(2026, 1, 17, tzinfo=UTC)
    )


async def test_an_activity_cap_counter_expires_as_told_and_a_lifetime_one_never(
    deps: Deps, database: Database
) -> None:
    # when
    until = datetime(2026, 2, 16, tzinfo=UTC)
    review = "m1:review:2026-01-15"
    assert await deps.activities.take_cap("acme", review, 3, "REVIEW:a", until=until)
    assert await deps.activities.take_cap("acme", review, 3, "REVIEW:b", until=until)
    assert await deps.activities.take_cap("acme", "m1:signup:all", 1, "SIGNUP:signup")
    # then
    assert await expires_at(database.db, "activity_caps", "acme:m1:review:2026-01-15") == until
    assert await expires_at(database.db, "activity_caps", "acme:m1:signup:all") is None


async def test_an_outbox_row_expires_30_days_after_it_was_sent_skipped_or_failed(
    deps: Deps, database: Database, clock: FrozenClock
) -> None:
    # given four queued rows, one of them postponed
    now = clock.now()
    rows = [
        Notification(
            "acme", "m1", NotificationKind.TIER_UPGRADED, f"k{i}", "en", "t", "b", now, now
        )
        for i in range(4)
    ]
    for row in rows:
        assert await deps.outbox.enqueue(row)
    claimed = {row.id: row for row in await deps.outbox.claim_due("acme", now, now, limit=10)}
    held = [claimed[row.id] for row in rows]
    await deps.outbox.postpone(held[3], now + timedelta(hours=1), attempts=1, reason="RETRY")
    # when a day later one is sent alone, one in a drain's batch, one skipped
    later = now + timedelta(days=1)
    await deps.outbox.finish(held[0], NotificationStatus.SENT, at=later, sender="log")
    claim = held[1].claim
    assert claim is not None
    await deps.outbox.mark_sent("acme", claim, [rows[1].id], at=later, sender="log")
    await deps.outbox.finish(held[2], NotificationStatus.SKIPPED, at=later, reason="X")
    # then the finished ones expire 30 days later, the postponed one never
    expiry = [await expires_at(database.db, "outbox", row.id) for row in rows]
    assert expiry == [later + timedelta(days=30)] * 3 + [None]


async def test_a_member_event_expires_30_days_after_it_was_handled(
    deps: Deps, database: Database, clock: FrozenClock
) -> None:
    # given
    event = MemberEvent("acme", "m1", MemberEventKind.TIER_UPGRADED, "gold", clock.now())
    await deps.member_events.record(event)
    assert await expires_at(database.db, "member_events", event.id) is None
    # when
    clock.advance(timedelta(hours=2))
    await deps.member_events.mark_handled("acme", "push", event.id)
    # then
    assert await expires_at(database.db, "member_events", event.id) == clock.now() + timedelta(
        days=30
    )
