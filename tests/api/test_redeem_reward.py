"""redeemReward and coupons: spending points for a coupon exactly once, then using it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from tests.api.conftest import WALLET, Api, TenantCreds, enroll, give_points
from tests.api.global_ids import local

UPSERT_REWARD = """
mutation($input: UpsertRewardInput!) {
  upsertReward(input: $input) { reward { id active } userErrors { code field message } }
}
"""

REDEEM = """
mutation($input: RedeemRewardInput!) {
  redeemReward(input: $input) {
    redemption { couponCode pointsSpent status reward { id } }
    wallet { balance pendingBalance lifetimeEarned }
    userErrors { code field message }
  }
}
"""

CONSUME = """
mutation($input: ConsumeCouponInput!) {
  consumeCoupon(input: $input) {
    coupon { code status pointsSpent usedOrderId memberExternalId }
    userErrors { code field message }
  }
}
"""

COUPON = """
query($code: String!) { coupon(code: $code) {
  coupon { code status } userErrors { code field message } } }
"""


async def create_reward(api: Api, creds: TenantCreds, *, active: bool = True) -> str:
    variables = {
        "input": {
            "name": {"en": "Coffee", "ar": "قهوة"},
            "cost": 100,
            "kind": "FREE_PRODUCT",
            "active": active,
        }
    }
    body = await api.gql(UPSERT_REWARD, variables, token=creds.admin)
    payload = body["data"]["upsertReward"]
    assert payload["userErrors"] == [], body
    reward_id: str = payload["reward"]["id"]
    return reward_id


async def redeem(
    api: Api, creds: TenantCreds, reward_id: str, key: str, *, locale: str | None = None
) -> dict[str, Any]:
    variables = {"input": {"rewardId": reward_id, "idempotencyKey": key}}
    body = await api.gql(REDEEM, variables, token=creds.member_token(api, "c1"), locale=locale)
    payload: dict[str, Any] = body["data"]["redeemReward"]
    return payload


async def wallet(api: Api, creds: TenantCreds) -> tuple[int, int, int, list[Any]]:
    body = await api.gql(WALLET, token=creds.member_token(api, "c1"))
    data = body["data"]["me"]["wallet"]
    nodes = [edge["node"] for edge in data["transactions"]["edges"]]
    return data["balance"], data["pendingBalance"], data["lifetimeEarned"], nodes


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["redemption"] is None
    assert payload["wallet"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def consume(api: Api, creds: TenantCreds, code: str, order_id: str) -> dict[str, Any]:
    variables = {"input": {"code": code, "orderId": order_id}}
    body = await api.gql(CONSUME, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["consumeCoupon"]
    return payload


def redeems(nodes: list[Any]) -> list[Any]:
    return [node for node in nodes if node["type"] == "REDEEM"]


async def test_redeem_issues_coupon_and_spends_points(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    # when
    payload = await redeem(api, acme, reward_id, "k1")
    # then
    assert payload["userErrors"] == []
    redemption = payload["redemption"]
    assert redemption["couponCode"]
    assert (redemption["pointsSpent"], redemption["status"]) == (100, "ISSUED")
    assert redemption["reward"] == {"id": reward_id}
    assert payload["wallet"] == {"balance": 50, "pendingBalance": 0, "lifetimeEarned": 150}
    balance, pending, lifetime, nodes = await wallet(api, acme)
    assert (balance, pending, lifetime) == (50, 0, 150)
    assert [(n["points"], n["balanceAfter"]) for n in redeems(nodes)] == [(-100, 50)]
    assert len(nodes) == 2


async def test_retry_with_same_key_returns_same_coupon(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    first = await redeem(api, acme, reward_id, "k1")
    before = await wallet(api, acme)
    # when
    retry = await redeem(api, acme, reward_id, "k1")
    # then
    assert retry["userErrors"] == []
    assert retry["redemption"]["couponCode"] == first["redemption"]["couponCode"]
    assert retry["wallet"]["balance"] == 50
    assert await wallet(api, acme) == before
    assert len(redeems(before[3])) == 1


async def test_insufficient_points_changes_nothing(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 99, "g1")
    reward_id = await create_reward(api, acme)
    before = await wallet(api, acme)
    # when
    payload = await redeem(api, acme, reward_id, "k1")
    # then
    assert refused(payload) == ("INSUFFICIENT_POINTS", None)
    assert payload["userErrors"][0]["message"] == (
        "Not enough points: 100 points required, but only 99 points available."
    )
    assert await wallet(api, acme) == before == (99, 0, 99, before[3])
    assert len(before[3]) == 1


async def test_insufficient_points_message_is_arabic_when_asked(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 99, "g1")
    reward_id = await create_reward(api, acme)
    before = await wallet(api, acme)
    # when
    payload = await redeem(api, acme, reward_id, "k1", locale="ar")
    # then
    assert refused(payload) == ("INSUFFICIENT_POINTS", None)
    assert payload["userErrors"][0]["message"] == (
        "رصيدك لا يكفي. المطلوب 100 نقطة، ورصيدك الحالي 99 نقطة."
    )
    assert await wallet(api, acme) == before


async def test_unknown_reward_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    before = await wallet(api, acme)
    # when
    payload = await redeem(api, acme, "rw_nope", "k1")
    # then
    assert refused(payload) == ("REWARD_NOT_FOUND", ["input", "rewardId"])
    assert await wallet(api, acme) == before


async def test_inactive_reward_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme, active=False)
    before = await wallet(api, acme)
    # when
    payload = await redeem(api, acme, reward_id, "k1")
    # then
    assert refused(payload) == ("REWARD_INACTIVE", ["input", "rewardId"])
    assert await wallet(api, acme) == before


async def test_concurrent_redemptions_spend_the_points_once(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 100, "g1")
    reward_id = await create_reward(api, acme)
    # when
    payloads = await asyncio.gather(*(redeem(api, acme, reward_id, f"k{i}") for i in range(10)))
    # then
    succeeded = [p for p in payloads if p["userErrors"] == []]
    failed = [p["userErrors"][0]["code"] for p in payloads if p["userErrors"]]
    assert len(succeeded) == 1
    assert failed == ["INSUFFICIENT_POINTS"] * 9
    balance, _, _, nodes = await wallet(api, acme)
    assert balance == 0
    assert len(redeems(nodes)) == 1


async def test_coupon_is_consumed_exactly_once(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 100, "g1")
    reward_id = await create_reward(api, acme)
    code = (await redeem(api, acme, reward_id, "k1"))["redemption"]["couponCode"]
    # when
    used = await consume(api, acme, code, "o-9")
    # then
    assert used["userErrors"] == []
    assert used["coupon"] == {
        "code": code,
        "status": "USED",
        "pointsSpent": 100,
        "usedOrderId": "o-9",
        "memberExternalId": "c1",
    }
    # when: another order tries the same coupon
    other = await consume(api, acme, code, "o-10")
    # then
    assert other["coupon"] is None
    assert [e["code"] for e in other["userErrors"]] == ["COUPON_ALREADY_USED"]
    # when: the same order retries
    again = await consume(api, acme, code, "o-9")
    # then
    assert again == used
    body = await api.gql(COUPON, {"code": code}, token=acme.events)
    assert body["data"]["coupon"]["coupon"] == {"code": code, "status": "USED"}


async def test_unknown_coupon_is_not_found(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(COUPON, {"code": "NOPE"}, token=acme.events)
    # then
    payload = body["data"]["coupon"]
    assert payload["coupon"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["COUPON_NOT_FOUND"]


async def test_expired_coupon_cannot_be_consumed(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 100, "g1")
    reward_id = await create_reward(api, acme)
    code = (await redeem(api, acme, reward_id, "k1"))["redemption"]["couponCode"]
    api.clock.advance(timedelta(days=31))
    # when
    payload = await consume(api, acme, code, "o-9")
    # then
    assert payload["coupon"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("COUPON_EXPIRED", ["input", "code"])
    ]
    body = await api.gql(COUPON, {"code": code}, token=acme.events)
    assert body["data"]["coupon"]["coupon"] == {"code": code, "status": "ISSUED"}


async def create_priced_reward(
    api: Api, creds: TenantCreds, name: str, cost: int, reward_id: str | None = None
) -> str:
    """Creates a reward, or with `reward_id` changes that reward's price."""
    variables = {
        "input": {"id": reward_id, "name": {"en": name}, "cost": cost, "kind": "FREE_PRODUCT"}
    }
    body = await api.gql(UPSERT_REWARD, variables, token=creds.admin)
    assert body["data"]["upsertReward"]["userErrors"] == [], body
    saved: str = body["data"]["upsertReward"]["reward"]["id"]
    return saved


async def stored_redemptions(api: Api) -> list[dict[str, Any]]:
    assert api.database is not None
    cursor = api.database.db["redemptions"].find({"tenant": "acme"}).sort("_id", 1)
    return [doc async for doc in cursor]


async def test_failed_key_cannot_buy_a_different_reward(api: Api, acme: TenantCreds) -> None:
    # given: a key that failed for want of points
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 300, "g1")
    dear = await create_priced_reward(api, acme, "Dear", 500)
    cheap = await create_priced_reward(api, acme, "Cheap", 200)
    assert refused(await redeem(api, acme, dear, "K")) == ("INSUFFICIENT_POINTS", None)
    before = await wallet(api, acme)
    records = await stored_redemptions(api)
    # when: the same key asks for another reward
    payload = await redeem(api, acme, cheap, "K")
    # then
    assert refused(payload) == ("IDEMPOTENCY_CONFLICT", ["input", "idempotencyKey"])
    assert await wallet(api, acme) == before == (300, 0, 300, before[3])
    assert redeems(before[3]) == []
    assert await stored_redemptions(api) == records
    assert [(r["reward_id"], r["points_spent"], r["status"]) for r in records] == [
        (local(dear), 500, "FAILED")
    ]


async def test_failed_key_buys_its_own_reward_once_points_are_earned(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 300, "g1")
    dear = await create_priced_reward(api, acme, "Dear", 500)
    assert refused(await redeem(api, acme, dear, "K")) == ("INSUFFICIENT_POINTS", None)
    await give_points(api, acme, "c1", 250, "g2")
    # when
    payload = await redeem(api, acme, dear, "K")
    retry = await redeem(api, acme, dear, "K")
    # then
    assert payload["userErrors"] == []
    assert (payload["redemption"]["pointsSpent"], payload["redemption"]["status"]) == (
        500,
        "ISSUED",
    )
    assert payload["redemption"]["reward"] == {"id": dear}
    assert retry == payload
    balance, _, _, nodes = await wallet(api, acme)
    assert balance == 50
    assert [(n["points"], n["balanceAfter"]) for n in redeems(nodes)] == [(-500, 50)]
    records = await stored_redemptions(api)
    assert [(r["reward_id"], r["points_spent"], r["status"]) for r in records] == [
        (local(dear), 500, "ISSUED")
    ]
    assert records[0]["coupon_code"] == payload["redemption"]["couponCode"]


async def test_failed_key_cannot_buy_its_reward_at_another_price(
    api: Api, acme: TenantCreds
) -> None:
    # given a key that failed for a 500-point reward, whose price then dropped to 200
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 300, "g1")
    dear = await create_priced_reward(api, acme, "Dear", 500)
    assert refused(await redeem(api, acme, dear, "K")) == ("INSUFFICIENT_POINTS", None)
    await create_priced_reward(api, acme, "Dear", 200, reward_id=dear)
    before = await wallet(api, acme)
    records = await stored_redemptions(api)
    # when the same key asks again
    payload = await redeem(api, acme, dear, "K")
    # then it is another request (a new key buys it at 200)
    assert refused(payload) == ("IDEMPOTENCY_CONFLICT", ["input", "idempotencyKey"])
    assert await wallet(api, acme) == before
    assert await stored_redemptions(api) == records
    fresh = await redeem(api, acme, dear, "K2")
    assert (fresh["redemption"]["pointsSpent"], fresh["wallet"]["balance"]) == (200, 100)
