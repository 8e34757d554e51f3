"""A drain decides for its whole batch at once: quiet hours per device time zone (one write per
wake-up time, none per row), the daily marketing cap in a few bulk writes that concurrent
drains cannot overrun, and eligibility re-checked from one read of the batch's members."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

from loyalty.clock import FrozenClock
from loyalty.devices import Device, DevicePlatform
from loyalty.members import Member
from loyalty.notifications import NotificationKind
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.usecases.campaigns import create_campaign
from mongo.client import Database
from mongo.outbox import MongoOutbox
from notifications.campaigns import run_due_campaigns
from notifications.dispatch import drain
from notifications.outbox import queue
from tests.interleave import Gate, Paused, until_stopped
from tests.store.workers import Counting, GatedSender, tenant_with_devices


async def rows(database: Database) -> dict[str, tuple[str, str | None, datetime]]:
    docs = await database.db["outbox"].find({}).to_list(None)
    return {
        doc["member_id"]: (doc["status"], doc["reason"], doc["not_before"].replace(tzinfo=UTC))
        for doc in docs
    }


async def with_zones(
    deps: Deps, clock: FrozenClock, members: list[Member], zones: list[str]
) -> None:
    for number, (member, zone) in enumerate(zip(members, zones, strict=True)):
        device = Device(
            "acme", member.id, f"tok-{number}", DevicePlatform.ANDROID, clock.now(), timezone=zone
        )
        await deps.devices.register(device, None)


async def test_quiet_hours_are_applied_per_zone_in_one_write_per_wake_up(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given 20:30 UTC: 23:30 in Riyadh and 05:30 in Tokyo (quiet, 22:00-08:00), 15:30 in New
    # York; two members in each of Riyadh and Tokyo, one in New York, one with no zone (UTC)
    clock.set(datetime(2026, 3, 1, 20, 30, tzinfo=UTC))
    tenant, members = await tenant_with_devices(deps, clock, 6)
    zones = ["Asia/Riyadh", "Asia/Riyadh", "Asia/Tokyo", "Asia/Tokyo", "America/New_York", ""]
    await with_zones(deps, clock, members, zones)
    for member in members:
        await queue(
            deps,
            tenant,
            member,
            NotificationKind.TIER_UPGRADED,
            f"t:{member.id}",
            {},
            texts=("Gold", "Welcome"),
        )
    counted = Counting(deps.outbox)
    sender = GatedSender("log")
    # when one drain takes the batch
    assert await drain(replace(deps, outbox=counted), tenant, sender) == 6
    # then the quiet ones wait for 08:00 in their own zone, the others went now
    riyadh_wake = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    tokyo_wake = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    found = await rows(database)
    assert [found[m.id][:2] for m in members] == [("PENDING", "QUIET_HOURS")] * 4 + [
        ("SENT", None)
    ] * 2
    assert [found[m.id][2] for m in members[:4]] == [riyadh_wake] * 2 + [tokyo_wake] * 2
    assert sorted(sender.tokens) == ["tok-4", "tok-5"]
    # and no row was written on its own
    assert counted.calls.get("postpone", 0) == 0
    assert counted.calls.get("finish", 0) == 0
    assert counted.calls["postpone_many"] >= 1


async def test_the_daily_cap_is_taken_in_bulk_per_local_day(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a cap of two marketing pushes a day and three campaigns to everyone, queued
    tenant, members = await tenant_with_devices(deps, clock, 3)
    tenant = replace(tenant, program=replace(tenant.program, daily_marketing_cap=2))
    text = LocalizedText(en="Sale")
    for name in ("a", "b", "c"):
        await create_campaign(
            deps, tenant, name=name, segment=None, tier_id=None, title=text, body=text, send_at=None
        )
    await run_due_campaigns(deps, tenant)
    counted = Counting(deps.outbox)
    sender = GatedSender("log")
    # when one drain takes all nine rows
    assert await drain(replace(deps, outbox=counted), tenant, sender) == 9
    # then each member got two, the third was skipped for the cap, from one bulk slot call
    statuses = [
        (doc["member_id"], doc["status"], doc["reason"])
        for doc in await database.db["outbox"].find({}).to_list(None)
    ]
    for member in members:
        mine = sorted((s, r or "") for m, s, r in statuses if m == member.id)
        assert mine == [("SENT", ""), ("SENT", ""), ("SKIPPED", "DAILY_CAP")]
    assert sorted(sender.tokens) == sorted(f"tok-{n}" for n in range(3) for _ in range(2))
    assert counted.calls["take_daily_slots"] == 1
    assert counted.calls.get("take_daily_slot", 0) == 0


async def test_concurrent_drains_never_take_more_slots_than_the_cap(deps: Deps) -> None:
    # given a member's day with a cap of three
    wanted = {("m1", "2026-01-15"): 2}
    # when two claims ask for two slots each, and a third for one more
    first = await deps.outbox.take_daily_slots("acme", "claim-a", wanted, 3)
    second = await deps.outbox.take_daily_slots("acme", "claim-b", wanted, 3)
    third = await deps.outbox.take_daily_slots("acme", "claim-c", {("m1", "2026-01-15"): 1}, 3)
    # then the first gets both, the second one, the third none
    assert (first, second, third) == (
        {("m1", "2026-01-15"): 2},
        {("m1", "2026-01-15"): 1},
        {("m1", "2026-01-15"): 0},
    )


async def test_a_day_another_drain_created_meanwhile_is_shared_not_overwritten(
    deps: Deps, database: Database
) -> None:
    # given claim A found no document for the member's day, and stopped before creating it
    day = ("m1", "2026-01-15")
    gate = Gate()
    a = MongoOutbox(database.db)
    a._caps = Paused(a._caps, "insert_many", gate)
    first = asyncio.create_task(a.take_daily_slots("acme", "claim-a", {day: 2}, 3))
    await until_stopped(first, gate)
    # when claim B creates the day with its two slots, then A goes on
    second = await deps.outbox.take_daily_slots("acme", "claim-b", {day: 2}, 3)
    gate.open()
    # then A gets the one slot left, pushed after B's (B's insert is never overwritten)
    assert (second, await first) == ({day: 2}, {day: 1})
    doc = await database.db["notification_caps"].find_one({"_id": "acme:m1:2026-01-15"})
    assert doc is not None
    assert doc["takers"] == ["claim-b", "claim-b", "claim-a"]


async def test_a_days_first_slots_are_taken_with_its_insert(deps: Deps, database: Database) -> None:
    # given no cap documents yet, and the outbox's caps collection counting its calls
    outbox = MongoOutbox(database.db)
    counted = Counting(outbox._caps)
    outbox._caps = counted
    wanted = {("m1", "2026-01-15"): 1, ("m2", "2026-01-15"): 4}
    # when a claim takes the slots of two fresh days (cap three)
    taken = await outbox.take_daily_slots("acme", "claim-a", wanted, 3)
    # then it got them from one read and one insert, with nothing pushed or read back
    assert taken == {("m1", "2026-01-15"): 1, ("m2", "2026-01-15"): 3}
    assert counted.calls == {"find": 1, "insert_many": 1}
    docs = await database.db["notification_caps"].find({}, {"takers": 1}).sort("_id").to_list(None)
    assert [doc["takers"] for doc in docs] == [["claim-a"], ["claim-a"] * 3]


async def test_a_member_who_left_the_segment_is_skipped_from_one_read(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a campaign to CHAMPIONs queued for three members; then one of them is re-scored
    tenant, members = await tenant_with_devices(deps, clock, 3)
    await database.db["members"].update_many({"tenant": "acme"}, {"$set": {"segment": "CHAMPION"}})
    text = LocalizedText(en="Sale")
    await create_campaign(
        deps,
        tenant,
        name="vip",
        segment="CHAMPION",
        tier_id=None,
        title=text,
        body=text,
        send_at=None,
    )
    await run_due_campaigns(deps, tenant)
    await database.db["members"].update_one({"external_id": "c1"}, {"$set": {"segment": "AT_RISK"}})
    counted = Counting(deps.audiences)
    sender = GatedSender("log")
    # when the drain sends
    await drain(replace(deps, audiences=counted), tenant, sender)
    # then the one who left is skipped, the others got it, from one ids-only query of the
    # campaign's audience (no member is read whole)
    found = await rows(database)
    assert [found[m.id][:2] for m in members] == [
        ("SENT", None),
        ("SKIPPED", "LEFT_AUDIENCE"),
        ("SENT", None),
    ]
    assert sorted(sender.tokens) == ["tok-0", "tok-2"]
    assert counted.calls == {"still_in_audience": 1}
