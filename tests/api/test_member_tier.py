"""Tiers in motion: upgrades on the crossing order, the multiplier, minTier at redemption, and
downgrades only at the scheduled review after the grace period."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from api.scheduler import Scheduler
from loyalty.member_events import MemberEventKind
from mongo.client import Database
from tests.api.conftest import WALLET, Api, TenantCreds, enroll, give_points
from tests.api.global_ids import local, tier
from tests.api.test_redeem_reward import REDEEM, UPSERT_REWARD
from tests.api.tiers_helpers import order, silver_gold, tier_status


async def events(api: Api, tenant: str, *kinds: MemberEventKind) -> list[tuple[str, Any]]:
    found = await api.deps.member_events.unhandled(tenant, "test", list(kinds), 100)
    return [(e.kind.value, dict(e.data)) for e in found]


async def test_the_crossing_order_upgrades_and_later_orders_earn_the_multiplier(
    api: Api, acme: TenantCreds
) -> None:
    # given silver from 500 (x1.5) and gold from 2000 (x2)
    silver, gold = await silver_gold(api, acme)
    await enroll(api, acme, "c1")
    # when an order of 600 crosses the silver threshold
    first = await order(api, acme, "c1", "o1", "600")
    second = await order(api, acme, "c1", "o2", "100")
    # then the crossing order earned the base rate, the next one x1.5
    assert (first["pointsEarned"], second["pointsEarned"]) == (600, 150)
    status = await tier_status(api, acme, "c1")
    assert status["tier"] == {
        "tier": {"id": silver},
        "isTrial": False,
        "trialEndsAt": None,
        "qualifyingValue": 700.0,
        "nextTier": {"id": gold},
        "remainingToNextTier": 1300.0,
    }
    assert await events(api, "acme", MemberEventKind.TIER_UPGRADED) == [
        ("TIER_UPGRADED", {"tier_id": local(silver), "from_tier_id": "base"})
    ]
    stored = await api.deps.members.get_by_external_id("acme", "c1")
    assert stored is not None and stored.tier.tier_id == local(silver)


async def test_concurrent_crossing_orders_announce_one_upgrade(api: Api, acme: TenantCreds) -> None:
    # given
    silver, _ = await silver_gold(api, acme)
    await enroll(api, acme, "c1")
    # when five orders of 300 arrive at once
    await asyncio.gather(*(order(api, acme, "c1", f"o{i}", "300") for i in range(5)))
    # then silver is held and announced once
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": silver}
    assert len(await events(api, "acme", MemberEventKind.TIER_UPGRADED)) == 1


async def test_downgrade_waits_for_the_scheduled_review_and_the_grace_period(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a silver member (12-month window, 30 days of grace)
    silver, _ = await silver_gold(api, acme)
    await enroll(api, acme, "c1")
    await order(api, acme, "c1", "o1", "600")
    scheduler = Scheduler(database, api.deps, interval=60)
    # when the order leaves the window and a small new order comes in
    api.clock.advance(timedelta(days=370))
    await order(api, acme, "c1", "o2", "10")
    # then no downgrade on the order itself
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": silver}
    # when the daily review notices, then again still within grace
    api.clock.advance(timedelta(days=1))
    await scheduler.tick()
    api.clock.advance(timedelta(days=29))
    await scheduler.tick()
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": silver}
    # when grace is over
    api.clock.advance(timedelta(days=2))
    await scheduler.tick()
    # then the member is back to the base tier, announced once
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": tier("acme", "base")}
    assert await events(api, "acme", MemberEventKind.TIER_DOWNGRADED) == [
        ("TIER_DOWNGRADED", {"tier_id": "base", "from_tier_id": local(silver)})
    ]


async def test_min_tier_is_enforced_at_redemption(api: Api, acme: TenantCreds) -> None:
    # given a gold-only reward and a member with points but no tier
    _, gold = await silver_gold(api, acme)
    reward = await api.gql(
        UPSERT_REWARD,
        {"input": {"name": {"en": "Gift"}, "cost": 50, "kind": "FREE_PRODUCT", "minTierId": gold}},
        token=acme.admin,
    )
    reward_id = reward["data"]["upsertReward"]["reward"]["id"]
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 100, "g1")
    token = acme.member_token(api, "c1")
    variables = {"input": {"rewardId": reward_id, "idempotencyKey": "r1"}}
    # when
    refused = (await api.gql(REDEEM, variables, token=token))["data"]["redeemReward"]
    # then
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("TIER_REQUIRED", ["input", "rewardId"])
    ]
    assert "Level 2" in refused["userErrors"][0]["message"]
    wallet = (await api.gql(WALLET, token=token))["data"]["me"]["wallet"]
    assert wallet["balance"] == 100 and len(wallet["transactions"]["edges"]) == 1
    # when the member reaches gold, the same key now succeeds
    await order(api, acme, "c1", "o1", "2500")
    allowed = (await api.gql(REDEEM, variables, token=token))["data"]["redeemReward"]
    assert allowed["userErrors"] == [] and allowed["redemption"]["pointsSpent"] == 50


async def test_members_see_only_their_own_tier(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given c1 silver in acme; c1 in globex (same customer id) and c2 in acme have nothing
    silver, _ = await silver_gold(api, acme)
    await silver_gold(api, globex)
    for creds, member in ((acme, "c1"), (acme, "c2"), (globex, "c1")):
        await enroll(api, creds, member)
    await order(api, acme, "c1", "o1", "600")
    # then
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": silver}
    assert (await tier_status(api, acme, "c2"))["tier"]["qualifyingValue"] == 0.0
    assert (await tier_status(api, globex, "c1"))["tier"]["tier"] == {"id": tier("globex", "base")}
