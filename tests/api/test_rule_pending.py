"""Per-rule pending periods: activities, badge bonuses, referral rewards and adjustments each
wait their own days; order points keep the program-wide return window."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, admin_wallet, enroll, give_points
from tests.api.test_record_activity import activity

UPDATE = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
  program { pendingDays expiryMonths
    rulePendingDays { activities badgeBonuses referralRewards adjustments } }
  userErrors { code field message } } }
"""
PROGRAM = "{ program { rulePendingDays { activities badgeBonuses referralRewards adjustments } } }"
BADGE = """
mutation($input: UpsertBadgeInput!) { upsertBadge(input: $input) { userErrors { code } } }
"""


async def update(api: Api, creds: TenantCreds, **changes: Any) -> dict[str, Any]:
    body = await api.gql(UPDATE, {"input": changes}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["updateProgram"]
    return payload


async def rule_pending(api: Api, creds: TenantCreds) -> dict[str, Any]:
    body = await api.gql(PROGRAM, tenant=creds.slug)
    found: dict[str, Any] = body["data"]["program"]["rulePendingDays"]
    return found


async def test_each_rule_waits_its_own_days_and_orders_keep_the_window(
    api: Api, acme: TenantCreds
) -> None:
    # given orders spendable at once, reviews pending 3 days, badge bonuses 5, adjustments 2
    payload = await update(
        api,
        acme,
        pendingDays=0,
        earningRules=[{"kind": "ACTIVITY", "activity": "PRODUCT_REVIEW", "points": 25}],
        rulePendingDays={"activities": 3, "badgeBonuses": 5, "adjustments": 2},
    )
    assert payload["userErrors"] == []
    assert payload["program"]["rulePendingDays"] == {
        "activities": 3,
        "badgeBonuses": 5,
        "referralRewards": 0,
        "adjustments": 2,
    }
    badge = {"name": {"en": "First"}, "rule": "FIRST_ORDER", "bonusPoints": 50}
    assert (await api.gql(BADGE, {"input": badge}, token=acme.admin))["data"]["upsertBadge"][
        "userErrors"
    ] == []
    await enroll(api, acme, "c1")
    start = api.clock.now()
    # when an order, a review and an adjustment are credited
    order = {"memberExternalId": "c1", "orderId": "o-1", "total": "100", "currency": "SAR"}
    body = await api.gql(RECORD_ORDER, {"input": order}, token=acme.events)
    assert body["data"]["recordOrder"]["userErrors"] == []
    assert (await activity(api, acme, "PRODUCT_REVIEW", "r-1"))["userErrors"] == []
    await give_points(api, acme, "c1", 40, "adj-1")
    # then only the order's 100 are spendable; 25 + 50 + 40 wait
    balance, pending, lifetime, entries = await admin_wallet(api, acme, "c1", "type points reason")
    assert (balance, pending, lifetime) == (100, 115, 215)
    assert [(e["type"], e["points"]) for e in entries] == [
        ("PENDING", 40),
        ("PENDING", 25),
        ("PENDING", 50),
        ("EARN", 100),
    ]
    # and each is released on its own day
    for days, expected in ((2, (140, 75)), (3, (165, 50)), (5, (215, 0))):
        api.clock.set(start + timedelta(days=days))
        balance, pending, _, entries = await admin_wallet(api, acme, "c1", "type reason")
        assert (balance, pending) == expected, days
    await give_points(api, acme, "c1", 1, "adj-2")  # a write records the releases
    _, _, _, entries = await admin_wallet(api, acme, "c1", "type reason")
    releases = [e["reason"] for e in entries if e["type"] == "RELEASE"]
    assert releases == ["Pending points are now available"] * 3


async def test_a_period_the_points_would_outlast_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given a program whose points expire after 1 month, badges pending 10 days
    assert (await update(api, acme, expiryMonths=1, rulePendingDays={"badgeBonuses": 10}))[
        "userErrors"
    ] == []
    before = await rule_pending(api, acme)
    # when a period longer than expiry allows, one out of range, and an expiry too short
    too_long = await update(api, acme, rulePendingDays={"referralRewards": 28})
    out = await update(api, acme, rulePendingDays={"activities": 366})
    negative = await update(api, acme, rulePendingDays={"adjustments": -1})
    # then each names its field and nothing changed
    assert [(e["code"], e["field"]) for e in too_long["userErrors"]] == [
        ("OUT_OF_RANGE", ["input", "rulePendingDays", "referralRewards"])
    ]
    assert too_long["userErrors"][0]["message"] == "The value must be between 0 and 27."
    assert [(e["code"], e["field"]) for e in out["userErrors"]] == [
        ("OUT_OF_RANGE", ["input", "rulePendingDays", "activities"])
    ]
    assert [e["field"] for e in negative["userErrors"]] == [
        ["input", "rulePendingDays", "adjustments"]
    ]
    assert await rule_pending(api, acme) == before
    # and another tenant's program is untouched by any of it
    assert await rule_pending(api, globex) == {
        "activities": 0,
        "badgeBonuses": 0,
        "referralRewards": 0,
        "adjustments": 0,
    }


async def test_an_expiry_shorter_than_a_period_is_refused_on_expiry(
    api: Api, acme: TenantCreds
) -> None:
    # given adjustments pending 40 days
    assert (await update(api, acme, rulePendingDays={"adjustments": 40}))["userErrors"] == []
    # when expiry is set to one month
    payload = await update(api, acme, expiryMonths=1)
    # then refused on expiryMonths, naming the fewest months that fit
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("OUT_OF_RANGE", ["input", "expiryMonths"])
    ]
    assert payload["userErrors"][0]["message"] == "The value must be between 2 and 120."
