"""claimVipTrial and grantVipTrial: time-limited VIP, once per cooldown, announced, ended or
converted by the scheduled review."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from api.scheduler import Scheduler
from loyalty.member_events import MemberEventKind
from mongo.client import Database
from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.global_ids import local, tier
from tests.api.test_member_tier import events
from tests.api.tiers_helpers import order, silver_gold, tier_status

UPDATE = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
  program { vipTrialOffer { tier { id } days minOrders cooldownDays } }
  userErrors { code field } } }
"""
CLAIM = """
mutation { claimVipTrial { member { tier { tier { id } isTrial trialEndsAt } }
  userErrors { code field message } } }
"""
GRANT = """
mutation($input: GrantVipTrialInput!) { grantVipTrial(input: $input) {
  member { externalId tier { tier { id } isTrial trialEndsAt } }
  userErrors { code field message } } }
"""


async def offer(api: Api, creds: TenantCreds, tier_id: str, days: int = 14) -> dict[str, Any]:
    variables = {"input": {"vipTrialOffer": {"tierId": tier_id, "days": days}}}
    body = await api.gql(UPDATE, variables, token=creds.admin)
    payload: dict[str, Any] = body["data"]["updateProgram"]
    return payload


async def claim(api: Api, creds: TenantCreds, member: str) -> dict[str, Any]:
    body = await api.gql(CLAIM, token=creds.member_token(api, member))
    payload: dict[str, Any] = body["data"]["claimVipTrial"]
    return payload


async def grant(
    api: Api, creds: TenantCreds, member: str, tier_id: str, days: int = 7
) -> dict[str, Any]:
    variables = {"input": {"memberExternalId": member, "tierId": tier_id, "days": days}}
    body = await api.gql(GRANT, variables, token=creds.admin)
    payload: dict[str, Any] = body["data"]["grantVipTrial"]
    return payload


def codes(payload: dict[str, Any]) -> list[tuple[str, Any]]:
    assert payload["member"] is None
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def test_claim_gives_the_trial_tier_and_its_multiplier(api: Api, acme: TenantCreds) -> None:
    # given a gold trial offered to members with one order
    _, gold = await silver_gold(api, acme)
    assert (await offer(api, acme, gold))["program"]["vipTrialOffer"] == {
        "tier": {"id": gold},
        "days": 14,
        "minOrders": 1,
        "cooldownDays": 365,
    }
    await enroll(api, acme, "c1")
    await order(api, acme, "c1", "o1", "100")
    # when
    payload = await claim(api, acme, "c1")
    # then
    ends = (api.clock.now() + timedelta(days=14)).isoformat()
    assert payload["userErrors"] == []
    assert payload["member"]["tier"] == {"tier": {"id": gold}, "isTrial": True, "trialEndsAt": ends}
    assert (await order(api, acme, "c1", "o2", "100"))["pointsEarned"] == 200
    started = await events(api, "acme", MemberEventKind.VIP_TRIAL_STARTED)
    assert started == [
        ("VIP_TRIAL_STARTED", {"tier_id": local(gold), "ends_at": ends, "granted": 0})
    ]


async def test_claim_refusals_change_nothing(api: Api, acme: TenantCreds) -> None:
    # given no offer yet, a member without orders
    _, gold = await silver_gold(api, acme)
    await enroll(api, acme, "c1")
    assert codes(await claim(api, acme, "c1")) == [("NO_VIP_TRIAL_OFFER", None)]
    await offer(api, acme, gold)
    assert codes(await claim(api, acme, "c1")) == [("VIP_TRIAL_NOT_ELIGIBLE", None)]
    assert (await tier_status(api, acme, "c1"))["tier"]["isTrial"] is False
    # when the member is gold already
    await order(api, acme, "c1", "o1", "3000")
    # then
    assert codes(await claim(api, acme, "c1")) == [("TIER_ALREADY_HELD", None)]
    assert await events(api, "acme", MemberEventKind.VIP_TRIAL_STARTED) == []


async def test_one_trial_per_cooldown_and_retries_return_the_first(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a claimed 14-day trial
    _, gold = await silver_gold(api, acme)
    await offer(api, acme, gold)
    await enroll(api, acme, "c1")
    await order(api, acme, "c1", "o1", "100")
    # when claimed five times at once
    payloads = await asyncio.gather(*(claim(api, acme, "c1") for _ in range(5)))
    # then one trial, every call answered with it
    assert {p["member"]["tier"]["trialEndsAt"] for p in payloads} != {None}
    assert len({p["member"]["tier"]["trialEndsAt"] for p in payloads}) == 1
    assert len(await events(api, "acme", MemberEventKind.VIP_TRIAL_STARTED)) == 1
    # when the trial has ended, a second one is refused until the cooldown passes
    api.clock.advance(timedelta(days=15))
    await Scheduler(database, api.deps, interval=60).tick()
    refused = await claim(api, acme, "c1")
    assert codes(refused) == [("VIP_TRIAL_ALREADY_USED", None)]
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": tier("acme", "base")}


async def test_trial_ending_soon_then_ended_or_converted(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given c1 and c2 on a 7-day gold trial; c2 will qualify meanwhile
    _, gold = await silver_gold(api, acme)
    scheduler = Scheduler(database, api.deps, interval=60)
    for member in ("c1", "c2"):
        await enroll(api, acme, member)
        assert (await grant(api, acme, member, gold))["userErrors"] == []
    # when time passes with daily ticks, c2 spending enough on day 2
    for day in range(1, 9):
        api.clock.advance(timedelta(days=1))
        if day == 2:
            await order(api, acme, "c2", "o1", "2500")
        await scheduler.tick()
    # then both got the 3-day and 1-day notices; c1's trial ended, c2's converted
    soon = await events(api, "acme", MemberEventKind.VIP_TRIAL_ENDING_SOON)
    assert sorted(d["days_left"] for _, d in soon) == [1, 1, 3, 3]
    ended = await events(
        api, "acme", MemberEventKind.VIP_TRIAL_ENDED, MemberEventKind.VIP_TRIAL_CONVERTED
    )
    assert sorted(kind for kind, _ in ended) == ["VIP_TRIAL_CONVERTED", "VIP_TRIAL_ENDED"]
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": tier("acme", "base")}
    assert (await tier_status(api, acme, "c2"))["tier"] == {
        **(await tier_status(api, acme, "c2"))["tier"],
        "tier": {"id": gold},
        "isTrial": False,
    }


@pytest.mark.parametrize(
    ("tier", "days", "member", "code", "field"),
    [
        ("unknown", 7, "c1", "TIER_NOT_FOUND", ["input", "tierId"]),
        ("gold", 0, "c1", "OUT_OF_RANGE", ["input", "days"]),
        ("gold", 7, "nobody", "MEMBER_NOT_FOUND", ["input", "memberExternalId"]),
        ("silver", 7, "c1", "TIER_ALREADY_HELD", ["input", "tierId"]),
    ],
)
async def test_grant_bad_input_changes_nothing(
    api: Api, acme: TenantCreds, tier: str, days: int, member: str, code: str, field: list[str]
) -> None:
    # given c1 already silver
    silver, gold = await silver_gold(api, acme)
    await enroll(api, acme, "c1")
    await order(api, acme, "c1", "o1", "600")
    tier_id = {"gold": gold, "silver": silver}.get(tier, tier)
    # when
    payload = await grant(api, acme, member, tier_id, days)
    # then
    assert codes(payload) == [(code, field)]
    assert (await tier_status(api, acme, "c1"))["tier"]["isTrial"] is False
    assert await events(api, "acme", MemberEventKind.VIP_TRIAL_STARTED) == []


async def test_grant_is_tenant_isolated_and_admin_only(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given c1 in globex only, and acme's gold tier
    _, gold = await silver_gold(api, acme)
    await silver_gold(api, globex)
    await enroll(api, globex, "c1")
    # when acme grants to globex's member, or globex uses acme's tier id
    assert codes(await grant(api, acme, "c1", gold)) == [
        ("MEMBER_NOT_FOUND", ["input", "memberExternalId"])
    ]
    assert codes(await grant(api, globex, "c1", gold)) == [("TIER_NOT_FOUND", ["input", "tierId"])]
    variables = {"input": {"memberExternalId": "c1", "tierId": gold, "days": 7}}
    as_events = await api.gql(GRANT, variables, token=acme.events)
    as_member = await api.gql(CLAIM, tenant=acme.slug)
    # then
    assert as_events["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert as_member["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await tier_status(api, globex, "c1"))["tier"]["isTrial"] is False
