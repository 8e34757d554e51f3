"""stats: every figure of a hand-built dataset, computed by hand below.

Program defaults: 1 point per SAR, point value 0.01 SAR, 14 pending days, 12-month expiry.
Range: January 2026 [2026-01-01, 2026-02-01) = 31 days; previous period: December 2025.

  2025-01-10  c5 joins, +25 adjustment            (expires 2026-01-11 00:00: EXPIRE 25 in Jan)
  2025-12-10  c1, c2 join; orders D1 100 (c1), D2 50 (c2)          (previous period)
  2026-01-05  c3 joins; orders J1 200 (c1), J2 80 (c3)             PENDING 200, 80
  2026-01-20  order J3 120 (c1)                                    PENDING 120
              c4 joins, +30 adjustment; c2 -10 adjustment          adjusted = 30 - 10 = 20
              c1 redeems Coffee (100) twice, c2 redeems Sticker (20)    redeemed = 220
              J2 refunded 40.00 of 80.00 (c3: 40 points back)      refunded = 40
              the scheduler settles due wallets (writes c5's EXPIRE)

  issued = 200 + 80 + 120 = 400;  redemption rate = 220 / 400 = 0.55;  breakage = 25 / 400
  = 0.0625.  Active (order, earning or redemption): c1, c3, c2 = 3 (c4 and c5 only have
  adjustments and expiries).  New: c3, c4 = 2.  Orders 3, customers c1 and c3 = 2, repeat c1
  = 1 (rate 0.5).  Previous customers c1, c2; retained c1: retention 0.5.
  Revenue 400.00; AOV 400 / 3 = 133.33; frequency 3 / 2 = 1.5; annual value = 1.5 x 133.333..
  x 365 / 31 = 200 x 365 / 31 = 2354.84; CLV = 3 x 2354.8387.. = 7064.52.
  Balances now: c1 100 + 200 + 120 (pending) - 200 = 100 spendable, 120 pending; c2 50 - 10
  - 20 = 20; c3 80 - 40 = 40; c4 30; c5 0.  Outstanding 190 points = 1.90 SAR; pending 120 =
  1.20 SAR.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from loyalty.usecases.settlement import settle_due_wallets
from mongo.client import Database
from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, enroll, give_points
from tests.api.global_ids import tier
from tests.api.test_redeem_reward import REDEEM, UPSERT_REWARD

STATS = """
query($from: DateTime!, $to: DateTime!, $years: Float! = 3) {
  stats(from: $from, to: $to, lifespanYears: $years) {
    from to currency pointsIssued pointsRedeemed pointsExpired pointsAdjusted pointsRefunded
    outstandingPoints outstandingPendingPoints outstandingLiability outstandingPendingLiability
    redemptionRate breakage activeMembers newMembers orders customers repeatCustomers
    repeatPurchaseRate previousCustomers retainedCustomers retentionRate purchaseFrequency
    averageOrderValue annualCustomerValue customerLifetimeValue lifespanYears
    revenueFromMembers refundedAmount
    tierDistribution { tierId name members } segmentDistribution { segment members }
    topRewards { name redemptions pointsSpent }
  }
}
"""
JANUARY = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}
REFUND = """
mutation($input: RefundOrderInput!) { refundOrder(input: $input) { userErrors { code } } }
"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


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


async def reward(api: Api, creds: TenantCreds, name: str, cost: int) -> str:
    variables = {"input": {"name": {"en": name}, "cost": cost, "kind": "FREE_PRODUCT"}}
    body = await api.gql(UPSERT_REWARD, variables, token=creds.admin)
    reward_id: str = body["data"]["upsertReward"]["reward"]["id"]
    return reward_id


async def redeem(api: Api, creds: TenantCreds, member: str, reward_id: str, key: str) -> None:
    token = creds.member_token(api, member)
    variables = {"input": {"rewardId": reward_id, "idempotencyKey": key}}
    body = await api.gql(REDEEM, variables, token=token)
    assert body["data"]["redeemReward"]["userErrors"] == [], body


async def build_dataset(api: Api, creds: TenantCreds, database: Database) -> None:
    api.clock.set(at("2025-01-10T12:00:00"))
    await enroll(api, creds, "c5")
    await give_points(api, creds, "c5", 25, "c5-bonus")
    api.clock.set(at("2025-12-10T12:00:00"))
    for member in ("c1", "c2"):
        await enroll(api, creds, member)
    await order(api, creds, "c1", "D1", "100.00")
    await order(api, creds, "c2", "D2", "50.00")
    api.clock.set(at("2026-01-05T12:00:00"))
    await enroll(api, creds, "c3")
    await order(api, creds, "c1", "J1", "200.00")
    await order(api, creds, "c3", "J2", "80.00")
    api.clock.set(at("2026-01-20T12:00:00"))
    await order(api, creds, "c1", "J3", "120.00")
    await enroll(api, creds, "c4")
    await give_points(api, creds, "c4", 30, "c4-bonus")
    await give_points(api, creds, "c2", -10, "c2-fix")
    coffee = await reward(api, creds, "Coffee", 100)
    sticker = await reward(api, creds, "Sticker", 20)
    await redeem(api, creds, "c1", coffee, "r1")
    await redeem(api, creds, "c1", coffee, "r2")
    await redeem(api, creds, "c2", sticker, "r3")
    refund = {"input": {"orderId": "J2", "amount": "40.00", "idempotencyKey": "f1"}}
    body = await api.gql(REFUND, refund, token=creds.events)
    assert body["data"]["refundOrder"]["userErrors"] == [], body
    await settle_due_wallets(api.deps, creds.slug)
    # Segments are rescored on every order (c3's one order makes it REGULAR; c4 and c5 have
    # none: NEW). c1 and c2 are set here as the tier and segment jobs would after months.
    members = database.db["members"]
    await members.update_one(
        {"tenant": creds.slug, "external_id": "c1"},
        {"$set": {"tier_status": {"tier_id": "gold"}, "segment": "CHAMPION"}},
    )
    await members.update_one(
        {"tenant": creds.slug, "external_id": "c2"}, {"$set": {"segment": "AT_RISK"}}
    )


async def stats(
    api: Api, token: str, variables: dict[str, Any] = JANUARY, locale: str | None = None
) -> dict[str, Any]:
    return await api.gql(STATS, variables, token=token, locale=locale)


EXPECTED = {
    "from": "2026-01-01T00:00:00+00:00",
    "to": "2026-02-01T00:00:00+00:00",
    "currency": "SAR",
    "pointsIssued": 400,
    "pointsRedeemed": 220,
    "pointsExpired": 25,
    "pointsAdjusted": 20,
    "pointsRefunded": 40,
    "outstandingPoints": 190,
    "outstandingPendingPoints": 120,
    "outstandingLiability": "1.90",
    "outstandingPendingLiability": "1.20",
    "redemptionRate": 0.55,
    "breakage": 0.0625,
    "activeMembers": 3,
    "newMembers": 2,
    "orders": 3,
    "customers": 2,
    "repeatCustomers": 1,
    "repeatPurchaseRate": 0.5,
    "previousCustomers": 2,
    "retainedCustomers": 1,
    "retentionRate": 0.5,
    "purchaseFrequency": 1.5,
    "averageOrderValue": "133.33",
    "annualCustomerValue": "2354.84",
    "customerLifetimeValue": "7064.52",
    "lifespanYears": 3.0,
    "revenueFromMembers": "400.00",
    "refundedAmount": "40.00",
    "tierDistribution": [
        {"tierId": tier("acme", "base"), "name": "Member", "members": 4},
        {"tierId": tier("acme", "gold"), "name": "gold", "members": 1},
    ],
    "segmentDistribution": [
        {"segment": "NEW", "members": 2},
        {"segment": "AT_RISK", "members": 1},
        {"segment": "CHAMPION", "members": 1},
        {"segment": "REGULAR", "members": 1},
    ],
    "topRewards": [
        {"name": "Coffee", "redemptions": 2, "pointsSpent": 200},
        {"name": "Sticker", "redemptions": 1, "pointsSpent": 20},
    ],
}


async def test_every_figure_matches_the_hand_computed_dataset(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given
    await build_dataset(api, acme, database)
    # when
    body = await stats(api, acme.admin)
    # then
    assert body.get("errors") is None, body
    assert body["data"]["stats"] == EXPECTED


async def test_lifespan_changes_only_the_lifetime_value(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given: annual value 2354.8387.. x 2.5 years = 5887.10
    await build_dataset(api, acme, database)
    # when
    body = await stats(api, acme.admin, {**JANUARY, "years": 2.5})
    # then
    assert body["data"]["stats"] == {
        **EXPECTED,
        "customerLifetimeValue": "5887.10",
        "lifespanYears": 2.5,
    }


async def test_the_base_tier_is_named_in_the_readers_language(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given
    await build_dataset(api, acme, database)
    # when
    body = await stats(api, acme.admin, locale="ar")
    # then
    assert body["data"]["stats"]["tierDistribution"][0] == {
        "tierId": tier("acme", "base"),
        "name": "أساسي",
        "members": 4,
    }


async def test_an_empty_period_has_zeros_and_no_ratios(api: Api, acme: TenantCreds) -> None:
    # when
    body = await stats(api, acme.admin)
    # then
    figures = body["data"]["stats"]
    assert (figures["pointsIssued"], figures["orders"], figures["activeMembers"]) == (0, 0, 0)
    assert figures["redemptionRate"] is None and figures["retentionRate"] is None
    assert figures["averageOrderValue"] is None and figures["customerLifetimeValue"] is None
    assert figures["outstandingLiability"] == "0.00"
    assert figures["tierDistribution"] == [] and figures["topRewards"] == []


async def test_another_tenant_sees_only_its_own_figures(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database
) -> None:
    # given: the same dataset in acme, and one order in globex
    await build_dataset(api, acme, database)
    await enroll(api, globex, "c1")
    await order(api, globex, "c1", "J1", "999.00")
    # when
    mine = await stats(api, acme.admin)
    theirs = await stats(api, globex.admin)
    # then
    assert mine["data"]["stats"] == EXPECTED
    other = theirs["data"]["stats"]
    assert (other["orders"], other["pointsIssued"], other["revenueFromMembers"]) == (
        1,
        999,
        "999.00",
    )
    assert other["topRewards"] == [] and other["newMembers"] == 1


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "INVALID_RANGE", ["to"]),
        ({"from": "2026-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "INVALID_RANGE", ["to"]),
        ({"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "RANGE_TOO_LONG", ["to"]),
        ({**JANUARY, "years": 0}, "OUT_OF_RANGE", ["lifespanYears"]),
        ({**JANUARY, "years": 51}, "OUT_OF_RANGE", ["lifespanYears"]),
    ],
)
async def test_bad_arguments_are_coded_errors(
    api: Api, acme: TenantCreds, variables: dict[str, Any], code: str, field: list[str]
) -> None:
    # when
    body = await stats(api, acme.admin, variables, locale="ar")
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": code, "field": field}
    assert body["errors"][0]["message"]


async def test_only_an_admin_key_may_read_stats(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    callers = {
        acme.events: "FORBIDDEN",
        acme.member_token(api, "c1"): "FORBIDDEN",
        "lk_not_a_real_key": "UNAUTHENTICATED",
    }
    for token, code in callers.items():
        # when
        body = await stats(api, token)
        # then
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code
    anonymous = await api.gql(STATS, JANUARY, tenant=acme.slug)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_segment_distribution_names_the_segment_enum(api: Api) -> None:
    # when the schema is asked what SegmentCount.segment is
    body = await api.gql(
        '{ __type(name: "SegmentCount") { fields { name type { kind ofType { kind name } } } } }'
    )
    # then the Segment enum (clients get its values, and a typo is a validation error)
    fields = {f["name"]: f["type"] for f in body["data"]["__type"]["fields"]}
    assert fields["segment"] == {"kind": "NON_NULL", "ofType": {"kind": "ENUM", "name": "Segment"}}
