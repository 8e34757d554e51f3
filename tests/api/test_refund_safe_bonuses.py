"""Refund-safe bonuses: a bonus earned because of an order (first-order badge, tier reached,
campaign) is taken back when that order is refunded in full inside its window; not after the
window, not on a partial refund, and never twice."""

from __future__ import annotations

from datetime import timedelta

from tests.api.conftest import Api, TenantCreds, admin_wallet, enroll
from tests.api.test_earn_campaigns import created
from tests.api.test_refund_order import order, refund
from tests.api.tiers_helpers import upsert_tier

BADGE = """
mutation($input: UpsertBadgeInput!) { upsertBadge(input: $input) { userErrors { code } } }
"""


async def badge(api: Api, creds: TenantCreds, **fields: object) -> None:
    variables = {"input": {"name": {"en": "Badge"}, **fields}}
    body = await api.gql(BADGE, variables, token=creds.admin)
    assert body["data"]["upsertBadge"]["userErrors"] == [], body


async def test_a_first_order_badge_bonus_goes_back_with_its_order(
    api: Api, acme: TenantCreds
) -> None:
    # given a first-order badge paying 50 and a member whose first order earned 100 (pending)
    await badge(api, acme, rule="FIRST_ORDER", bonusPoints=50)
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "100.00")
    assert (await admin_wallet(api, acme, "c1", "type"))[:2] == (50, 100)
    # when the order is refunded in full inside its 14-day window, and the refund retried
    first = await refund(api, acme, "o-1", "r-1")
    again = await refund(api, acme, "o-1", "r-1")
    # then the order's points and the badge's bonus are gone, once
    assert first["userErrors"] == [] and again["userErrors"] == []
    balance, pending, _, entries = await admin_wallet(api, acme, "c1", "type points reason")
    assert (balance, pending) == (0, 0)
    assert [(e["type"], e["points"], e["reason"]) for e in entries[:2]] == [
        ("REFUND", -50, "Bonus taken back: order o-1 was refunded in full"),
        ("REFUND", -100, "Points taken back for the refund of order o-1"),
    ]
    assert len(entries) == 4


async def test_a_partial_refund_or_one_after_the_window_keeps_the_bonus(
    api: Api, acme: TenantCreds
) -> None:
    # given the same badge and first order
    await badge(api, acme, rule="FIRST_ORDER", bonusPoints=50)
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "100.00")
    # when 40.00 are refunded inside the window, the rest after it
    await refund(api, acme, "o-1", "r-1", "40.00")
    partial = await admin_wallet(api, acme, "c1", "type")
    api.clock.advance(timedelta(days=15))
    await refund(api, acme, "o-1", "r-2")
    # then the bonus stays both times; only the order's points go
    assert partial[:2] == (50, 60)
    balance, pending, _, entries = await admin_wallet(api, acme, "c1", "type points")
    assert (balance, pending) == (50, 0)
    assert [e["points"] for e in entries if e["type"] == "REFUND"] == [-60, -40]


async def test_a_tier_entry_bonus_goes_back_with_the_order_that_reached_it(
    api: Api, acme: TenantCreds
) -> None:
    # given silver from 500 spent, with a badge paying 30 on reaching it
    silver = await upsert_tier(api, acme, 1, "500")
    await badge(api, acme, rule="TIER_REACHED", tierId=silver["tier"]["id"], bonusPoints=30)
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "200.00")
    await order(api, acme, "o-2", "400.00")  # reaches silver
    assert (await admin_wallet(api, acme, "c1", "type"))[:2] == (30, 600)
    # when the first order is refunded in full: it did not reach the tier
    await refund(api, acme, "o-1", "r-1")
    assert (await admin_wallet(api, acme, "c1", "type"))[:2] == (30, 400)
    # and when the order that reached it is
    await refund(api, acme, "o-2", "r-2")
    # then its bonus goes too
    assert (await admin_wallet(api, acme, "c1", "type"))[:2] == (0, 0)


async def test_campaign_points_go_back_with_their_order(api: Api, acme: TenantCreds) -> None:
    # given double points with a 15-point bonus, and an order that earned 215
    await created(api, acme, startsAt="2026-01-01T00:00:00Z", bonusPoints=15)
    await enroll(api, acme, "c1")
    await order(api, acme, "o-1", "100.00")
    assert (await admin_wallet(api, acme, "c1", "type"))[:2] == (0, 215)
    # when it is refunded in full
    payload = await refund(api, acme, "o-1", "r-1")
    # then all of it is taken back
    assert payload["pointsReversed"] == 215
    assert (await admin_wallet(api, acme, "c1", "type"))[:2] == (0, 0)
