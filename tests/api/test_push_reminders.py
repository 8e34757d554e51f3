"""Expiring-points reminders end to end: queued once per (member, date, threshold), sent
through the recording sender, deferred by quiet hours, skipped on opt-out or spent points."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from loyalty.ports import Deps
from mongo.client import Database
from notifications.dispatch import drain
from notifications.reminders import queue_expiry_reminders
from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.push_helpers import log, register, scheduler, set_prefs

# Points granted at the test clock's start (2026-01-15 12:00Z) expire 2027-01-16 00:00Z.
EXPIRES = datetime(2027, 1, 16, tzinfo=UTC)


def noon(days_before: int) -> datetime:
    """Midday UTC, `days_before` whole days before the expiry (outside default quiet hours)."""
    return EXPIRES - timedelta(days=days_before, hours=12)


async def _member(api: Api, creds: TenantCreds, points: int = 50, **device: str) -> None:
    await enroll(api, creds, "c1")
    await give_points(api, creds, "c1", points, "g1")
    assert (await register(api, creds, "c1", "tok-1", **device))["userErrors"] == []


async def test_each_threshold_reminds_once_across_restarts_and_two_workers(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given 50 points expiring in 30 days
    await _member(api, acme)
    api.clock.set(noon(29))
    first, sent_first = scheduler(database, deps)
    second, sent_second = scheduler(database, deps)
    # when two workers tick together, then a restarted worker ticks again
    await asyncio.gather(first.tick(), second.tick())
    restarted, sent_restarted = scheduler(database, deps)
    await restarted.tick()
    # then exactly one push went out
    bodies = [m.body for m in sent_first.sent + sent_second.sent + sent_restarted.sent]
    assert bodies == ["50 points will expire on January 16, 2027. Redeem them before then."]
    # when the 7-day and the 1-day thresholds are crossed
    api.clock.set(noon(6))
    await restarted.tick()
    await restarted.tick()
    api.clock.set(noon(0))
    await first.tick()
    # then one more push each, and the log holds three SENT rows
    rows = await log(api, acme)
    assert [(r["id"].rsplit(":", 1)[1], r["status"], r["sender"]) for r in rows] == [
        ("1", "SENT", "log"),
        ("7", "SENT", "log"),
        ("30", "SENT", "log"),
    ]
    # and each SENT row counts the one send that delivered it (never "attempts: 0")
    attempts = await api.gql(
        "{ notificationLog(first: 10) { edges { node { status attempts } } } }", token=acme.admin
    )
    assert [e["node"] for e in attempts["data"]["notificationLog"]["edges"]] == [
        {"status": "SENT", "attempts": 1}
    ] * 3


async def test_points_spent_before_sending_are_not_announced(
    api: Api, acme: TenantCreds, deps: Deps, database: Database
) -> None:
    # given a reminder queued for 50 points
    await _member(api, acme)
    api.clock.set(noon(3))
    tenant = await deps.tenants.get("acme")
    assert tenant is not None
    assert await queue_expiry_reminders(deps, tenant) == 1
    # when the member spends them before the outbox is drained
    await give_points(api, acme, "c1", -50, "spend")
    _, sender = scheduler(database, deps)
    await drain(deps, tenant, sender)
    # then no push, and the log says why
    assert sender.sent == []
    assert [(r["status"], r["reason"]) for r in await log(api, acme)] == [
        ("SKIPPED", "POINTS_GONE")
    ]


async def test_partly_spent_points_are_announced_with_what_is_left(
    api: Api, acme: TenantCreds, deps: Deps, database: Database
) -> None:
    # given a reminder queued for 50 points, 47 of which are then spent
    await _member(api, acme)
    api.clock.set(noon(3))
    tenant = await deps.tenants.get("acme")
    assert tenant is not None
    await queue_expiry_reminders(deps, tenant)
    await give_points(api, acme, "c1", -47, "spend")
    _, sender = scheduler(database, deps)
    # when
    await drain(deps, tenant, sender)
    # then
    assert [m.body for m in sender.sent] == [
        "3 points will expire on January 16, 2027. Redeem them before then."
    ]


async def test_quiet_hours_defer_the_push_to_their_end_in_the_device_timezone(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given a device in Riyadh (UTC+3) and 23:30 there
    await _member(api, acme, timezone="Asia/Riyadh")
    api.clock.set(datetime(2026, 12, 20, 20, 30, tzinfo=UTC))
    worker, sender = scheduler(database, deps)
    # when
    await worker.tick()
    # then nothing is sent yet; the row waits
    assert sender.sent == []
    assert [(r["status"], r["reason"]) for r in await log(api, acme)] == [
        ("PENDING", "QUIET_HOURS")
    ]
    # when it is 07:59 in Riyadh, then still nothing; at 08:00 it goes
    api.clock.set(datetime(2026, 12, 21, 4, 59, tzinfo=UTC))
    await worker.tick()
    assert sender.sent == []
    api.clock.set(datetime(2026, 12, 21, 5, 0, tzinfo=UTC))
    await worker.tick()
    assert len(sender.sent) == 1
    assert [r["status"] for r in await log(api, acme)] == ["SENT"]


async def test_an_opted_out_category_is_skipped(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given the member opted out of expiry reminders
    await _member(api, acme)
    payload = await set_prefs(api, acme, "c1", optedOut=["POINTS_EXPIRY"])
    assert payload["userErrors"] == []
    api.clock.set(noon(3))
    worker, sender = scheduler(database, deps)
    # when
    await worker.tick()
    # then
    assert sender.sent == []
    assert [(r["status"], r["reason"]) for r in await log(api, acme)] == [("SKIPPED", "OPTED_OUT")]


async def test_arabic_reminders_use_the_right_plural_form(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given four Arabic-speaking members with 1, 2, 3 and 11 points expiring the same day
    worker, sender = scheduler(database, deps)
    for index, points in enumerate((1, 2, 3, 11)):
        member = f"ar{index}"
        body = await api.gql(
            'mutation($id: ID!) { enrollMember(input: { externalId: $id, locale: "ar" }) '
            "{ userErrors { code } } }",
            {"id": member},
            token=acme.admin,
        )
        assert body["data"]["enrollMember"]["userErrors"] == []
        await give_points(api, acme, member, points, f"g-{member}")
        await register(api, acme, member, f"tok-{member}")
    api.clock.set(noon(3))
    # when
    await worker.tick()
    # then
    assert sorted(m.body for m in sender.sent) == sorted(
        f"لديك {count} تنتهي {its} في 16 يناير 2027. {redeem} قبل هذا التاريخ."
        for count, its, redeem in [
            ("نقطة واحدة", "صلاحيتها", "استبدلها"),
            ("نقطتان", "صلاحيتهما", "استبدلهما"),  # the dual, and words that agree with it
            ("3 نقاط", "صلاحيتها", "استبدلها"),
            ("11 نقطة", "صلاحيتها", "استبدلها"),
        ]
    )
    assert {m.title for m in sender.sent} == {"ستنتهي صلاحية بعض النقاط في رصيدك قريبًا"}


async def test_a_member_without_devices_is_logged_as_skipped(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database, deps: Deps
) -> None:
    # given a member with points but no device
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 5, "g1")
    api.clock.set(noon(3))
    worker, _ = scheduler(database, deps)
    # when
    await worker.tick()
    # then the merchant sees why; another tenant sees nothing
    assert [(r["status"], r["reason"]) for r in await log(api, acme)] == [("SKIPPED", "NO_DEVICE")]
    assert await log(api, globex) == []
