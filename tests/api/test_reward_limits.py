"""Reward limits: per member per day, per month and ever, stock, the coupon's minimum order
total (checked by consumeCoupon) and the availability window. Each refusal has its own code
and changes nothing (no points taken, no coupon, nothing counted)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.rewards import SWEEP_GRACE
from loyalty.usecases import redemptions
from loyalty.usecases.redemption_sweep import sweep_redemptions
from tests.api.conftest import WALLET, Api, TenantCreds, enroll, give_points

UPSERT = """
mutation($input: UpsertRewardInput!) {
  upsertReward(input: $input) {
    reward { id stockLeft limits { perDay perMonth perMember stock minOrderTotal
      availableFrom availableUntil } }
    userErrors { code field message }
  }
}
"""
REDEEM = """
mutation($input: RedeemRewardInput!) {
  redeemReward(input: $input) {
    redemption { couponCode } wallet { balance } userErrors { code field message }
  }
}
"""
CONSUME = """
mutation($input: ConsumeCouponInput!) {
  consumeCoupon(input: $input) { coupon { status usedOrderId } userErrors { code field message } }
}
"""
STOCK = "{ rewards { id stockLeft } }"


async def reward(api: Api, creds: TenantCreds, **limits: Any) -> dict[str, Any]:
    variables = {
        "input": {
            "name": {"en": "Coffee", "ar": "قهوة"},
            "cost": 100,
            "kind": "FREE_PRODUCT",
            "limits": limits,
        }
    }
    body = await api.gql(UPSERT, variables, token=creds.admin)
    payload: dict[str, Any] = body["data"]["upsertReward"]
    return payload


async def created(api: Api, creds: TenantCreds, **limits: Any) -> str:
    payload = await reward(api, creds, **limits)
    assert payload["userErrors"] == [], payload
    reward_id: str = payload["reward"]["id"]
    return reward_id


async def member(api: Api, creds: TenantCreds, external_id: str, points: int = 1000) -> str:
    await enroll(api, creds, external_id)
    await give_points(api, creds, external_id, points, f"seed-{external_id}")
    return external_id


async def redeem(
    api: Api, creds: TenantCreds, who: str, reward_id: str, key: str, locale: str = "en"
) -> dict[str, Any]:
    variables = {"input": {"rewardId": reward_id, "idempotencyKey": key}}
    body = await api.gql(REDEEM, variables, token=creds.member_token(api, who), locale=locale)
    payload: dict[str, Any] = body["data"]["redeemReward"]
    return payload


async def balance(api: Api, creds: TenantCreds, who: str) -> int:
    body = await api.gql(WALLET, token=creds.member_token(api, who))
    value: int = body["data"]["me"]["wallet"]["balance"]
    return value


def refusal(payload: dict[str, Any]) -> tuple[str, list[str]]:
    assert payload["redemption"] is None and payload["wallet"] is None
    [error] = payload["userErrors"]
    return error["code"], error["field"]


async def test_limits_are_stored_and_read(api: Api, acme: TenantCreds) -> None:
    # when a reward is limited in every way (times without offset: the tenant's zone, UTC)
    payload = await reward(
        api,
        acme,
        perDay=1,
        perMonth=3,
        perMember=5,
        stock=40,
        minOrderTotal="150.00",
        availableFrom="2026-01-01T00:00:00",
        availableUntil="2026-02-01T00:00:00Z",
    )
    # then
    assert payload["userErrors"] == []
    assert payload["reward"]["stockLeft"] == 40
    assert payload["reward"]["limits"] == {
        "perDay": 1,
        "perMonth": 3,
        "perMember": 5,
        "stock": 40,
        "minOrderTotal": "150.00",
        "availableFrom": "2026-01-01T00:00:00+00:00",
        "availableUntil": "2026-02-01T00:00:00+00:00",
    }


async def test_a_member_redeems_at_most_the_daily_limit_each_day(
    api: Api, acme: TenantCreds
) -> None:
    # given twice a day, and a member with 1,000 points
    reward_id = await created(api, acme, perDay=2)
    who = await member(api, acme, "c1")
    # when the member redeems three times on one day
    first = await redeem(api, acme, who, reward_id, "k1")
    second = await redeem(api, acme, who, reward_id, "k2")
    third = await redeem(api, acme, who, reward_id, "k3", locale="ar")
    # then the third is refused, worded with the Arabic dual, and takes nothing
    assert first["userErrors"] == [] and second["userErrors"] == []
    assert refusal(third) == ("REWARD_DAILY_LIMIT_REACHED", ["input", "rewardId"])
    assert third["userErrors"][0]["message"] == (
        "يمكنك استبدال هذه المكافأة مرتين في اليوم. جرّب غدًا."
    )
    assert await balance(api, acme, who) == 800
    # and a retry of a redemption that went through is still answered, not refused
    again = await redeem(api, acme, who, reward_id, "k2")
    assert again["userErrors"] == [] and again["redemption"] == second["redemption"]
    # when the next day comes
    api.clock.advance(timedelta(days=1))
    # then the member can redeem again
    assert (await redeem(api, acme, who, reward_id, "k4"))["userErrors"] == []
    assert await balance(api, acme, who) == 700


async def test_the_day_is_the_tenants(api: Api, acme: TenantCreds) -> None:
    # given a program in Riyadh (UTC+3) and once a day
    body = await api.gql(
        'mutation { updateProgram(input: { timezone: "Asia/Riyadh" }) { userErrors { code } } }',
        token=acme.admin,
    )
    assert body["data"]["updateProgram"]["userErrors"] == []
    reward_id = await created(api, acme, perDay=1)
    who = await member(api, acme, "c1")
    # when the member redeems at 20:30 UTC and again at 21:30 UTC (00:30 in Riyadh)
    api.clock.set(datetime(2026, 1, 15, 20, 30, tzinfo=UTC))
    first = await redeem(api, acme, who, reward_id, "k1")
    api.clock.set(datetime(2026, 1, 15, 21, 30, tzinfo=UTC))
    second = await redeem(api, acme, who, reward_id, "k2")
    # then both go through: a new day began in Riyadh
    assert first["userErrors"] == [] and second["userErrors"] == []


async def test_monthly_and_lifetime_limits_each_have_their_code(
    api: Api, acme: TenantCreds
) -> None:
    # given once a month, and another reward twice ever
    monthly = await created(api, acme, perMonth=1)
    ever = await created(api, acme, perMember=2)
    who = await member(api, acme, "c1", 2000)
    # when the member redeems each beyond its limit
    assert (await redeem(api, acme, who, monthly, "m1"))["userErrors"] == []
    over_month = await redeem(api, acme, who, monthly, "m2")
    for key in ("e1", "e2"):
        assert (await redeem(api, acme, who, ever, key))["userErrors"] == []
    over_ever = await redeem(api, acme, who, ever, "e3")
    api.clock.advance(timedelta(days=32))
    next_month = await redeem(api, acme, who, monthly, "m3")
    # then each refusal names its own limit; a new month allows the monthly one again
    assert refusal(over_month) == ("REWARD_MONTHLY_LIMIT_REACHED", ["input", "rewardId"])
    assert over_month["userErrors"][0]["message"] == (
        "You can redeem this reward 1 time a month. Try again next month."
    )
    assert refusal(over_ever) == ("REWARD_LIMIT_REACHED", ["input", "rewardId"])
    assert over_ever["userErrors"][0]["message"] == (
        "You have redeemed this reward as often as allowed: 2 times."
    )
    assert next_month["userErrors"] == []
    assert await balance(api, acme, who) == 2000 - 4 * 100


async def test_stock_runs_out_across_members_and_concurrent_redemptions(
    api: Api, acme: TenantCreds
) -> None:
    # given a stock of 3 and six members with points
    reward_id = await created(api, acme, stock=3)
    members = [await member(api, acme, f"c{i}") for i in range(6)]
    # when all six redeem at once
    results = await asyncio.gather(*(redeem(api, acme, m, reward_id, "k") for m in members))
    # then exactly three get a coupon; the others are refused and keep their points
    codes = sorted(r["userErrors"][0]["code"] if r["userErrors"] else "OK" for r in results)
    assert codes == ["OK", "OK", "OK", *["REWARD_OUT_OF_STOCK"] * 3]
    balances = sorted([await balance(api, acme, m) for m in members])
    assert balances == [900, 900, 900, 1000, 1000, 1000]
    body = await api.gql(STOCK, tenant=acme.slug)
    assert body["data"]["rewards"] == [{"id": reward_id, "stockLeft": 0}]


async def test_a_redemption_that_fails_gives_its_claims_back(api: Api, acme: TenantCreds) -> None:
    # given a stock of 1 and a member without enough points
    reward_id = await created(api, acme, stock=1, perMember=1)
    poor = await member(api, acme, "poor", 50)
    rich = await member(api, acme, "rich")
    # when the poor member tries, then the rich one
    failed = await redeem(api, acme, poor, reward_id, "k")
    done = await redeem(api, acme, rich, reward_id, "k")
    # then the failure counted nothing: the rich member gets the last unit
    assert refusal(failed)[0] == "INSUFFICIENT_POINTS"
    assert done["userErrors"] == []


async def test_outside_its_window_a_reward_is_refused(api: Api, acme: TenantCreds) -> None:
    # given a reward from 1 February to 1 March 2026 (now: 15 January 2026)
    reward_id = await created(
        api, acme, availableFrom="2026-02-01T00:00:00Z", availableUntil="2026-03-01T00:00:00Z"
    )
    who = await member(api, acme, "c1")
    # when the member redeems before, during and after
    early = await redeem(api, acme, who, reward_id, "k1")
    api.clock.set(datetime(2026, 2, 10, tzinfo=UTC))
    during = await redeem(api, acme, who, reward_id, "k2")
    api.clock.set(datetime(2026, 3, 1, tzinfo=UTC))
    late = await redeem(api, acme, who, reward_id, "k3")
    # then only the redemption inside the window goes through
    assert refusal(early) == ("REWARD_NOT_YET_AVAILABLE", ["input", "rewardId"])
    assert early["userErrors"][0]["message"] == "This reward is available from February 1, 2026."
    assert during["userErrors"] == []
    assert refusal(late) == ("REWARD_NO_LONGER_AVAILABLE", ["input", "rewardId"])
    assert await balance(api, acme, who) == 900


async def test_a_coupon_with_a_minimum_needs_an_order_at_least_that_big(
    api: Api, acme: TenantCreds
) -> None:
    # given a coupon of a reward with a 150.00 minimum order
    reward_id = await created(api, acme, minOrderTotal="150")
    who = await member(api, acme, "c1")
    code = (await redeem(api, acme, who, reward_id, "k1"))["redemption"]["couponCode"]

    async def consume(order_id: str, total: str | None, locale: str = "en") -> dict[str, Any]:
        variables = {"input": {"code": code, "orderId": order_id, "orderTotal": total}}
        body = await api.gql(CONSUME, variables, token=acme.events, locale=locale)
        payload: dict[str, Any] = body["data"]["consumeCoupon"]
        return payload

    # when the store uses it on a 149.99 order, on an order without a total, then on 150.00
    small = await consume("o-1", "149.99", "ar")
    unknown = await consume("o-2", None)
    big = await consume("o-3", "150.00")
    # then the first two are refused and leave the coupon usable; the third uses it
    for payload in (small, unknown):
        assert payload["coupon"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("COUPON_ORDER_BELOW_MINIMUM", ["input", "orderTotal"])
        ]
    assert small["userErrors"][0]["message"] == (
        "يُستخدم هذا الكوبون في الطلبات التي لا تقل قيمتها عن 150.00 ريالًا."
    )
    assert (
        unknown["userErrors"][0]["message"] == "This coupon needs an order of at least 150.00 SAR."
    )
    assert big == {"coupon": {"status": "USED", "usedOrderId": "o-3"}, "userErrors": []}


@pytest.mark.parametrize(
    ("limits", "code", "field"),
    [
        ({"perDay": 0}, "OUT_OF_RANGE", ["input", "perDay"]),
        ({"perMonth": 1001}, "OUT_OF_RANGE", ["input", "perMonth"]),
        ({"perMember": -1}, "OUT_OF_RANGE", ["input", "perMember"]),
        ({"stock": 100001}, "OUT_OF_RANGE", ["input", "stock"]),
        ({"minOrderTotal": "0"}, "INVALID_AMOUNT", ["input", "minOrderTotal"]),
        ({"minOrderTotal": "1.234"}, "INVALID_AMOUNT", ["input", "minOrderTotal"]),
        (
            {"availableFrom": "2026-02-01T00:00:00Z", "availableUntil": "2026-02-01T00:00:00Z"},
            "INVALID_RANGE",
            ["input", "availableUntil"],
        ),
    ],
)
async def test_bad_limits_are_refused_and_change_nothing(
    api: Api, acme: TenantCreds, limits: dict[str, Any], code: str, field: list[str]
) -> None:
    # when
    payload = await reward(api, acme, **limits)
    # then
    assert payload["reward"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert (await api.gql(STOCK, tenant=acme.slug))["data"]["rewards"] == []


async def test_limits_and_stock_are_per_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given a stock of 1 at each tenant and a member "c1" at each
    acme_reward = await created(api, acme, stock=1)
    globex_reward = await created(api, globex, stock=1)
    await member(api, acme, "c1")
    await member(api, globex, "c1")
    # when acme's member takes acme's last unit
    assert (await redeem(api, acme, "c1", acme_reward, "k"))["userErrors"] == []
    # then globex's unit is still there, and acme's member cannot redeem globex's reward
    assert (await redeem(api, globex, "c1", globex_reward, "k"))["userErrors"] == []
    foreign = await redeem(api, acme, "c1", globex_reward, "k2")
    assert refusal(foreign)[0] == "REWARD_NOT_FOUND"


async def test_a_redemption_the_sweeper_fails_gives_its_stock_back(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a stock of 1 and a redemption that crashed before its points were taken
    reward_id = await created(api, acme, stock=1)
    first = await member(api, acme, "c1")
    second = await member(api, acme, "c2")

    def crash(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the process dies here")

    with monkeypatch.context() as patch:
        patch.setattr(redemptions, "move", crash)
        variables = {"input": {"rewardId": reward_id, "idempotencyKey": "k1"}}
        body = await api.gql(REDEEM, variables, token=acme.member_token(api, first))
        assert body["data"] is None
    blocked = await redeem(api, acme, second, reward_id, "k1")
    # when the sweeper finds it took no points
    api.clock.advance(SWEEP_GRACE)
    tenant = await api.deps.tenants.get(acme.slug)
    assert tenant is not None
    assert await sweep_redemptions(api.deps, tenant) == 1
    # then the unit is back: the other member gets it
    assert refusal(blocked)[0] == "REWARD_OUT_OF_STOCK"
    assert (await redeem(api, acme, second, reward_id, "k2"))["userErrors"] == []
