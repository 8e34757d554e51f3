"""RFM segments: NEW before any order, scored on orders, AT_RISK after the inactivity period
through the scheduled job (which only visits members whose review time came)."""

from __future__ import annotations

from datetime import timedelta

from api.scheduler import Scheduler
from mongo.client import Database
from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.tiers_helpers import order, tier_status


async def test_segments_follow_orders_and_time(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database
) -> None:
    # given defaults: 90-day window, AT_RISK after 60 days, top = 5 orders / 1000 spent
    for creds, member in ((acme, "c1"), (acme, "c2"), (globex, "c1")):
        await enroll(api, creds, member)
    assert (await tier_status(api, acme, "c1"))["segment"] == "NEW"
    # when c1 orders once (small), c2 six times (large)
    await order(api, acme, "c1", "a1", "50")
    for i in range(6):
        await order(api, acme, "c2", f"b{i}", "300")
    # then
    assert (await tier_status(api, acme, "c1"))["segment"] == "REGULAR"
    assert (await tier_status(api, acme, "c2"))["segment"] == "CHAMPION"
    assert (await tier_status(api, globex, "c1"))["segment"] == "NEW"
    # when 61 days pass and the job runs
    api.clock.advance(timedelta(days=61))
    done = await Scheduler(database, api.deps, interval=60).tick()
    # then both are at risk; the stored field is what analytics reads
    assert done["segments"] >= 2
    assert (await tier_status(api, acme, "c2"))["segment"] == "AT_RISK"
    stored = await database.db["members"].find_one({"tenant": "acme", "external_id": "c1"})
    assert stored is not None and stored["segment"] == "AT_RISK"
    # when c2 orders again, the order rescores at once
    await order(api, acme, "c2", "b9", "300")
    assert (await tier_status(api, acme, "c2"))["segment"] in ("LOYAL", "CHAMPION")
