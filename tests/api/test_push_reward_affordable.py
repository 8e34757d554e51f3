""" "Reward now affordable": one push per (member, reward, crossing), from the move hook."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from loyalty.member_events import MemberEventKind
from loyalty.usecases.settlement import settle_due_wallets
from mongo.client import Database
from tests.api.conftest import ADJUST, RECORD_ORDER, Api, TenantCreds, enroll, give_points
from tests.api.global_ids import local
from tests.api.push_helpers import log, register, scheduler, set_prefs
from tests.api.test_redeem_reward import UPSERT_REWARD
from tests.api.tiers_helpers import silver_gold


async def reward(api: Api, creds: TenantCreds, cost: int, **extra: Any) -> str:
    """The new reward's local key: what push data and member events carry."""
    variables = {
        "input": {"name": {"en": "Coffee", "ar": "قهوة"}, "cost": cost, "kind": "FREE_PRODUCT"}
    }
    variables["input"].update(extra)
    body = await api.gql(UPSERT_REWARD, variables, token=creds.admin)
    assert body["data"]["upsertReward"]["userErrors"] == [], body
    return local(body["data"]["upsertReward"]["reward"]["id"])


async def adjust(api: Api, creds: TenantCreds, member: str, points: int, key: str) -> None:
    variables = {
        "input": {
            "memberExternalId": member,
            "points": points,
            "reason": "t",
            "idempotencyKey": key,
        }
    }
    body = await api.gql(ADJUST, variables, token=creds.admin)
    assert body["data"]["adjustPoints"]["userErrors"] == [], body


async def affordable_events(api: Api, tenant: str) -> list[dict[str, Any]]:
    kinds = [MemberEventKind.REWARD_AFFORDABLE]
    return [dict(e.data) for e in await api.deps.member_events.unhandled(tenant, "t", kinds, 100)]


async def test_crossing_pushes_once_in_the_members_language(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given an Arabic member with a device, 60 points and a reward costing 100
    coffee = await reward(api, acme, 100)
    await register(api, acme, "c1", "tok-c1")
    await api.gql(
        'mutation { updateProfile(input: {locale: "ar"}) { userErrors { code } } }',
        token=acme.member_token(api, "c1"),
    )
    await give_points(api, acme, "c1", 60, "g1")
    # when a grant crosses 100, is retried, runs concurrently, and later grants stay above
    await asyncio.gather(*(adjust(api, acme, "c1", 50, "g2") for _ in range(4)))
    await adjust(api, acme, "c1", 50, "g2")
    await give_points(api, acme, "c1", 10, "g3")
    first, sender = scheduler(database, api.deps)
    second, other = scheduler(database, api.deps)
    await asyncio.gather(first.tick(), second.tick())
    await first.tick()
    # then exactly one push, with the reward's Arabic name and the Arabic plural of 100
    pushed = sender.sent + other.sent
    assert [(m.title, m.body) for m in pushed] == [
        (
            "يمكنك الآن الحصول على «\u2068قهوة\u2069»",
            "رصيدك يكفي الآن لاستبدال «\u2068قهوة\u2069» (100 نقطة). استبدلها من التطبيق.",
        )
    ]
    assert pushed[0].data["rewardId"] == coffee
    assert pushed[0].data["link"] == "loyalty://rewards"
    assert await affordable_events(api, "acme") == [{"reward_id": coffee, "cost": 100}]


async def test_dropping_below_then_crossing_again_pushes_again(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a member who crossed 100 once (pushed), and a cheaper reward crossed at the same time
    coffee = await reward(api, acme, 100)
    await register(api, acme, "c1", "tok-c1")
    await give_points(api, acme, "c1", 120, "g1")
    worker, sender = scheduler(database, api.deps)
    await worker.tick()
    assert len(sender.sent) == 1
    # when the balance drops to 70 and climbs to 90 (still below), then to 130
    await adjust(api, acme, "c1", -50, "d1")
    await adjust(api, acme, "c1", 20, "g2")
    await worker.tick()
    assert len(sender.sent) == 1
    await adjust(api, acme, "c1", 40, "g3")
    await worker.tick()
    # then a second push for the second crossing, and nothing else
    assert [m.data["rewardId"] for m in sender.sent] == [coffee, coffee]
    assert [r["kind"] for r in await log(api, acme)] == ["REWARD_AFFORDABLE"] * 2


async def test_min_tier_is_respected(api: Api, acme: TenantCreds, database: Database) -> None:
    # given a gold-only reward and an untiered member
    _, gold = await silver_gold(api, acme)
    await reward(api, acme, 50, minTierId=gold)
    await enroll(api, acme, "c1")
    await register(api, acme, "c1", "tok-c1")
    # when the balance crosses its cost
    await give_points(api, acme, "c1", 100, "g1")
    worker, sender = scheduler(database, api.deps)
    await worker.tick()
    # then nothing is recorded or pushed
    assert await affordable_events(api, "acme") == []
    assert sender.sent == []


async def test_marketing_opt_out_is_respected(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    await reward(api, acme, 100)
    await register(api, acme, "c1", "tok-c1")
    await set_prefs(api, acme, "c1", optedOut=["MARKETING"])
    await give_points(api, acme, "c1", 100, "g1")
    worker, sender = scheduler(database, api.deps)
    await worker.tick()
    assert sender.sent == []
    assert [(r["kind"], r["status"], r["reason"]) for r in await log(api, acme)] == [
        ("REWARD_AFFORDABLE", "SKIPPED", "OPTED_OUT")
    ]


async def test_no_push_when_the_reward_is_inactive_or_out_of_reach_at_send_time(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given two crossings: c1's reward is then deactivated, c2 spends the points again
    coffee = await reward(api, acme, 100)
    await register(api, acme, "c1", "tok-c1")
    await register(api, acme, "c2", "tok-c2")
    await give_points(api, acme, "c1", 100, "g1")
    await give_points(api, acme, "c2", 100, "g2")
    await adjust(api, acme, "c2", -1, "d2")
    variables = {
        "input": {
            "id": coffee,
            "name": {"en": "Coffee"},
            "cost": 100,
            "kind": "FREE_PRODUCT",
            "active": False,
        }
    }
    body = await api.gql(UPSERT_REWARD, variables, token=acme.admin)
    assert body["data"]["upsertReward"]["userErrors"] == []
    # when the worker runs
    worker, sender = scheduler(database, api.deps)
    await worker.tick()
    # then nothing leaves and the log says why
    assert sender.sent == []
    assert {(r["memberExternalId"], r["status"], r["reason"]) for r in await log(api, acme)} == {
        ("c1", "SKIPPED", "REWARD_UNAVAILABLE"),
        ("c2", "SKIPPED", "REWARD_UNAVAILABLE"),
    }


async def test_another_tenants_rewards_and_members_do_not_mix(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database
) -> None:
    # given a cheap reward at globex only, and same-named members in both tenants
    await reward(api, globex, 10)
    await register(api, acme, "c1", "tok-acme")
    await register(api, globex, "c1", "tok-globex")
    # when the acme member earns far more than its cost
    await give_points(api, acme, "c1", 500, "g1")
    worker, sender = scheduler(database, api.deps)
    await worker.tick()
    # then nothing in either tenant
    assert await affordable_events(api, "acme") == []
    assert await affordable_events(api, "globex") == []
    assert sender.sent == []
    assert await log(api, acme) == [] and await log(api, globex) == []


async def order(api: Api, creds: TenantCreds, member: str, order_id: str, total: str) -> None:
    variables = {
        "input": {
            "memberExternalId": member,
            "orderId": order_id,
            "total": total,
            "currency": "SAR",
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    assert body["data"]["recordOrder"]["userErrors"] == [], body


async def test_settlement_crossing_again_after_a_drop_records_a_new_event(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a reward costing 100 and two orders whose points stay pending 14 days apart
    coffee = await reward(api, acme, 100)
    await register(api, acme, "c1", "tok-c1")
    await order(api, acme, "c1", "A-1", "120")
    api.clock.advance(timedelta(days=7))
    await order(api, acme, "c1", "A-2", "80")
    # when settlement releases the first order's points (crossing 100), the member spends 50,
    # and settlement later releases the second order's points (crossing 100 again)
    api.clock.advance(timedelta(days=8))
    assert await settle_due_wallets(api.deps, "acme") == 1
    await adjust(api, acme, "c1", -50, "d1")
    api.clock.advance(timedelta(days=7))
    assert await settle_due_wallets(api.deps, "acme") == 1
    # then each crossing is its own event, and settling again records nothing more
    assert await settle_due_wallets(api.deps, "acme") == 0
    expected = {"reward_id": coffee, "cost": 100}
    assert await affordable_events(api, "acme") == [expected, expected]
