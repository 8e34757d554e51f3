"""Member.badges: each rule kind awarded exactly once on the event that reaches it, its bonus
through the ledger, BADGE_EARNED announced, and progress shown for what is not earned yet."""

from __future__ import annotations

import asyncio
from typing import Any

from loyalty.member_events import MemberEventKind
from tests.api.conftest import RECORD_ORDER, WALLET, Api, TenantCreds, enroll
from tests.api.global_ids import local
from tests.api.test_apply_referral_code import APPLY, SETTINGS, code_of
from tests.api.test_member_tier import events
from tests.api.test_record_activity import activity
from tests.api.test_refund_order import refund
from tests.api.test_upsert_badge import badge_id
from tests.api.tiers_helpers import order, silver_gold

BADGES = """
{ me { badges { badge { id name rule } earned earnedAt progress goal } } }
"""


async def badges(
    api: Api, creds: TenantCreds, member: str = "c1", locale: str = "en"
) -> dict[str, tuple[bool, int, int]]:
    body = await api.gql(BADGES, token=creds.member_token(api, member), locale=locale)
    return {
        b["badge"]["rule"]: (b["earned"], b["progress"], b["goal"])
        for b in body["data"]["me"]["badges"]
    }


async def balance(api: Api, creds: TenantCreds, member: str = "c1") -> tuple[int, list[Any]]:
    body = await api.gql(WALLET, token=creds.member_token(api, member))
    wallet = body["data"]["me"]["wallet"]
    return wallet["balance"], [e["node"] for e in wallet["transactions"]["edges"]]


async def item_order(
    api: Api,
    creds: TenantCreds,
    order_id: str,
    category: str,
    price: str,
    placed_at: str | None = None,
) -> None:
    variables = {
        "input": {
            "memberExternalId": "c1",
            "orderId": order_id,
            "total": price,
            "currency": "SAR",
            "items": [{"sku": "s1", "category": category, "quantity": 1, "unitPrice": price}],
            "placedAt": placed_at,
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    assert body["data"]["recordOrder"]["userErrors"] == [], body


async def test_order_badges_progress_then_earn_once_with_their_bonus(
    api: Api, acme: TenantCreds
) -> None:
    # given first order (+20), three orders, 300 spent on oud
    first = await badge_id(api, acme, "FIRST_ORDER", bonusPoints=20)
    await badge_id(api, acme, "ORDER_COUNT", 3)
    await badge_id(api, acme, "CATEGORY_SPEND", 300, category="Oud")
    await enroll(api, acme, "c1")
    assert await badges(api, acme) == {
        "FIRST_ORDER": (False, 0, 1),
        "ORDER_COUNT": (False, 0, 3),
        "CATEGORY_SPEND": (False, 0, 300),
    }
    # when two orders arrive (one on oud, one on musk), the first one retried
    await item_order(api, acme, "o1", "oud", "120.50")
    await item_order(api, acme, "o1", "oud", "120.50")
    await item_order(api, acme, "o2", "musk", "500")
    # then
    assert await badges(api, acme) == {
        "FIRST_ORDER": (True, 1, 1),
        "ORDER_COUNT": (False, 2, 3),
        "CATEGORY_SPEND": (False, 120, 300),
    }
    # when the third order brings oud spending past 300
    await item_order(api, acme, "o3", "OUD", "200")
    # then both are earned, each once; only the first-order badge pays a bonus
    assert await badges(api, acme) == {
        "FIRST_ORDER": (True, 1, 1),
        "ORDER_COUNT": (True, 3, 3),
        "CATEGORY_SPEND": (True, 300, 300),
    }
    _, history = await balance(api, acme)
    bonus = [n for n in history if n["reason"] == "Badge bonus: Badge FIRST_ORDER"]
    assert [(n["type"], n["points"]) for n in bonus] == [("EARN", 20)]
    earned = await events(api, "acme", MemberEventKind.BADGE_EARNED)
    assert sorted(d["points"] for _, d in earned) == [0, 0, 20]
    assert {"badge_id": local(first), "points": 20} in [d for _, d in earned]


async def test_concurrent_orders_award_once(api: Api, acme: TenantCreds) -> None:
    # given a first-order badge worth 50
    await badge_id(api, acme, "FIRST_ORDER", bonusPoints=50)
    await enroll(api, acme, "c1")
    # when five first orders arrive at once (no return window: points count at once)
    body = await api.gql(SETTINGS, {"input": {"pendingDays": 0}}, token=acme.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []
    await asyncio.gather(*(order(api, acme, "c1", f"o{i}", "10") for i in range(5)))
    # then
    assert (await balance(api, acme))[0] == 5 * 10 + 50
    assert len(await events(api, "acme", MemberEventKind.BADGE_EARNED)) == 1


async def test_fully_refunded_orders_do_not_count(api: Api, acme: TenantCreds) -> None:
    # given
    await badge_id(api, acme, "ORDER_COUNT", 2)
    await enroll(api, acme, "c1")
    await order(api, acme, "c1", "o1", "100")
    assert (await refund(api, acme, "o1", "r1"))["userErrors"] == []
    # when
    await order(api, acme, "c1", "o2", "100")
    # then
    assert await badges(api, acme) == {"ORDER_COUNT": (False, 1, 2)}


async def test_review_badge_counts_product_reviews(api: Api, acme: TenantCreds) -> None:
    # given a badge for two reviews worth 30
    await badge_id(api, acme, "REVIEW_COUNT", 2, bonusPoints=30)
    await enroll(api, acme, "c1")
    # when one review, a retry of it, a birthday, then a second review
    await activity(api, acme, "PRODUCT_REVIEW", "sku-1")
    await activity(api, acme, "PRODUCT_REVIEW", "sku-1")
    await activity(api, acme, "BIRTHDAY", "2026")
    assert await badges(api, acme) == {"REVIEW_COUNT": (False, 1, 2)}
    second = await activity(api, acme, "PRODUCT_REVIEW", "sku-2")
    # then earned, and the payload's wallet already shows the bonus
    assert await badges(api, acme) == {"REVIEW_COUNT": (True, 2, 2)}
    assert second["member"]["wallet"]["balance"] == 30


async def test_tier_badge_is_earned_on_the_order_that_reaches_the_tier_not_by_a_trial(
    api: Api, acme: TenantCreds
) -> None:
    # given a badge for gold
    _, gold = await silver_gold(api, acme)
    await badge_id(api, acme, "TIER_REACHED", tierId=gold, bonusPoints=100)
    await enroll(api, acme, "c1")
    grant = """mutation($input: GrantVipTrialInput!) { grantVipTrial(input: $input) {
      userErrors { code } } }"""
    variables = {"input": {"memberExternalId": "c1", "tierId": gold, "days": 7}}
    assert (await api.gql(grant, variables, token=acme.admin))["data"]["grantVipTrial"] == {
        "userErrors": []
    }
    await order(api, acme, "c1", "o1", "100")
    assert await badges(api, acme) == {"TIER_REACHED": (False, 0, 1)}
    # when an order takes the member past gold's threshold on their own
    await order(api, acme, "c1", "o2", "2000")
    # then
    assert await badges(api, acme) == {"TIER_REACHED": (True, 1, 1)}
    assert len(await events(api, "acme", MemberEventKind.BADGE_EARNED)) == 1


async def test_monthly_streak_counts_consecutive_months_in_the_tenant_zone(
    api: Api, acme: TenantCreds
) -> None:
    # given a 4-month streak badge; the program in Riyadh (UTC+3); today is 2026-01-15
    body = await api.gql(SETTINGS, {"input": {"timezone": "Asia/Riyadh"}}, token=acme.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []
    await badge_id(api, acme, "MONTHLY_STREAK", 4)
    await enroll(api, acme, "c1")
    # when orders in October, and at 22:00 UTC on 31 October (1 November in Riyadh)
    await item_order(api, acme, "o1", "gifts", "10", "2025-10-10T12:00:00+00:00")
    await item_order(api, acme, "o2", "gifts", "10", "2025-10-31T22:00:00+00:00")
    # then that is two months already
    assert await badges(api, acme) == {"MONTHLY_STREAK": (False, 2, 4)}
    # when December and January (across the year) follow
    await item_order(api, acme, "o3", "gifts", "10", "2025-12-05T12:00:00+00:00")
    await item_order(api, acme, "o4", "gifts", "10", "2026-01-02T12:00:00+00:00")
    # then
    assert await badges(api, acme) == {"MONTHLY_STREAK": (True, 4, 4)}


async def test_referral_badge_counts_rewarded_referrals_of_the_referrer(
    api: Api, acme: TenantCreds
) -> None:
    # given a badge for one referral; no return window so referrals pay on the first order
    body = await api.gql(SETTINGS, {"input": {"pendingDays": 0}}, token=acme.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []
    await badge_id(api, acme, "REFERRAL_COUNT", 1, bonusPoints=15)
    for member in ("c1", "friend"):
        await enroll(api, acme, member)
    token = acme.member_token(api, "friend")
    linked = await api.gql(APPLY, {"code": await code_of(api, acme, "c1")}, token=token)
    assert linked["data"]["applyReferralCode"]["userErrors"] == []
    # then linking alone is not a referral made
    assert await badges(api, acme) == {"REFERRAL_COUNT": (False, 0, 1)}
    # when the friend's first order is recorded
    await order(api, acme, "friend", "f1", "100")
    # then c1 earned it (not the friend)
    assert await badges(api, acme) == {"REFERRAL_COUNT": (True, 1, 1)}
    assert await badges(api, acme, "friend") == {"REFERRAL_COUNT": (False, 0, 1)}
    assert (await balance(api, acme))[0] == 15


async def test_badges_are_in_the_reader_language_and_isolated(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given an acme badge earned by acme's c1; globex's c1 with the same external id
    await badge_id(api, acme, "FIRST_ORDER")
    await enroll(api, acme, "c1")
    await enroll(api, globex, "c1")
    await order(api, acme, "c1", "o1", "100")
    # when
    ar = await api.gql(BADGES, token=acme.member_token(api, "c1"), locale="ar")
    other = await badges(api, globex)
    # then
    assert [b["badge"]["name"] for b in ar["data"]["me"]["badges"]] == ["شارة FIRST_ORDER"]
    assert ar["data"]["me"]["badges"][0]["earnedAt"] == api.clock.now().isoformat()
    assert other == {}
    assert await api.deps.badge_awards.for_member("globex", "c1") == []


async def test_merchant_sees_a_members_badges_only_in_its_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await badge_id(api, acme, "FIRST_ORDER")
    await enroll(api, acme, "c1")
    await order(api, acme, "c1", "o1", "100")
    query = """query($id: ID!) { member(externalId: $id) { badges { earned } } }"""
    # when
    own = await api.gql(query, {"id": "c1"}, token=acme.admin)
    cross = await api.gql(query, {"id": "c1"}, token=globex.admin)
    # then
    assert own["data"]["member"]["badges"] == [{"earned": True}]
    assert cross["data"]["member"] is None
