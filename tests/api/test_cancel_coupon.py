"""cancelCoupon and the coupon job: an unused coupon's points go back, exactly once, with the
expiry of the lots they came from (or 30 days from then when that has passed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from api.scheduler import Scheduler
from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.test_redeem_reward import consume, create_reward, redeem, wallet

CANCEL = """
mutation($code: String!, $key: String!) {
  cancelCoupon(code: $code, idempotencyKey: $key) {
    coupon { code status pointsSpent memberExternalId }
    wallet { balance }
    userErrors { code field message }
  }
}
"""

EXPIRING = """
{ me { wallet { balance expiringSoon(withinDays: 400) { points expiresAt } } } }
"""

UPDATE_PROGRAM = """
mutation($input: UpdateProgramInput!) {
  updateProgram(input: $input) { program { returnExpiredCoupons } userErrors { code } }
}
"""


async def cancel(
    api: Api, token: str, code: str, key: str, locale: str | None = None
) -> dict[str, Any]:
    body = await api.gql(CANCEL, {"code": code, "key": key}, token=token, locale=locale)
    payload: dict[str, Any] = body["data"]["cancelCoupon"]
    return payload


async def coupon_for(api: Api, creds: TenantCreds, points: int = 150) -> str:
    await enroll(api, creds, "c1")
    await give_points(api, creds, "c1", points, "g1")
    reward_id = await create_reward(api, creds)
    payload = await redeem(api, creds, reward_id, "k1")
    assert payload["userErrors"] == [], payload
    code: str = payload["redemption"]["couponCode"]
    return code


async def expiring(api: Api, creds: TenantCreds) -> list[Any]:
    body = await api.gql(EXPIRING, token=creds.member_token(api, "c1"))
    soon: list[Any] = body["data"]["me"]["wallet"]["expiringSoon"]
    return soon


async def test_owner_cancels_and_gets_the_points_back_with_their_expiry(
    api: Api, acme: TenantCreds
) -> None:
    # given a coupon bought with points expiring on 2027-01-16 (12 months, next midnight)
    code = await coupon_for(api, acme)
    # when its owner cancels it
    payload = await cancel(api, acme.member_token(api, "c1"), code, "x1")
    # then it is cancelled and the 100 points are back, expiring as before
    assert payload["userErrors"] == []
    assert payload["coupon"] == {
        "code": code,
        "status": "CANCELLED",
        "pointsSpent": 100,
        "memberExternalId": "c1",
    }
    assert payload["wallet"] == {"balance": 150}
    balance, _, lifetime, nodes = await wallet(api, acme)
    assert (balance, lifetime) == (150, 150)
    assert [(n["type"], n["points"], n["balanceAfter"]) for n in nodes[:2]] == [
        ("REDEEM", 100, 150),
        ("REDEEM", -100, 50),
    ]
    assert nodes[0]["reason"] == "Points back: coupon for Coffee cancelled"
    assert await expiring(api, acme) == [{"points": 150, "expiresAt": "2027-01-16T00:00:00+00:00"}]


async def test_merchant_cancels_with_the_events_key(api: Api, acme: TenantCreds) -> None:
    # given
    code = await coupon_for(api, acme)
    # when the store cancels it
    payload = await cancel(api, acme.events, code, "x1")
    # then
    assert payload["userErrors"] == []
    assert (payload["coupon"]["status"], payload["wallet"]) == ("CANCELLED", {"balance": 150})


async def test_cancelling_twice_gives_the_points_back_once(api: Api, acme: TenantCreds) -> None:
    # given a cancelled coupon
    code = await coupon_for(api, acme)
    first = await cancel(api, acme.member_token(api, "c1"), code, "x1")
    # when the same call is retried, and the merchant cancels it too
    again = await cancel(api, acme.member_token(api, "c1"), code, "x1")
    merchant = await cancel(api, acme.admin, code, "m1")
    # then each answer is the cancelled coupon and the points came back once
    assert again == first
    assert merchant["userErrors"] == [] and merchant["coupon"]["status"] == "CANCELLED"
    balance, _, _, nodes = await wallet(api, acme)
    assert balance == 150
    assert [n["points"] for n in nodes if n["type"] == "REDEEM"] == [100, -100]


async def test_another_member_cannot_cancel_and_nothing_changes(
    api: Api, acme: TenantCreds
) -> None:
    # given c1's coupon, and c2
    code = await coupon_for(api, acme)
    await enroll(api, acme, "c2")
    before = await wallet(api, acme)
    # when c2 tries to cancel it
    payload = await cancel(api, acme.member_token(api, "c2"), code, "x1", locale="ar")
    # then it is not found for them, and the coupon is still usable
    assert payload["coupon"] is None
    assert payload["userErrors"] == [
        {"code": "COUPON_NOT_FOUND", "field": ["code"], "message": "الكوبون غير موجود."}
    ]
    assert await wallet(api, acme) == before
    used = await consume(api, acme, code, "o-1")
    assert used["coupon"]["status"] == "USED"


async def test_used_coupon_cannot_be_cancelled(api: Api, acme: TenantCreds) -> None:
    # given
    code = await coupon_for(api, acme)
    await consume(api, acme, code, "o-1")
    before = await wallet(api, acme)
    # when
    payload = await cancel(api, acme.admin, code, "x1")
    # then
    assert [e["code"] for e in payload["userErrors"]] == ["COUPON_ALREADY_USED"]
    assert await wallet(api, acme) == before


async def test_points_whose_expiry_passed_come_back_for_30_days(
    api: Api, acme: TenantCreds
) -> None:
    # given a 400-day coupon bought with points expiring on 2027-01-16
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 100, "g1")
    body = await api.gql(
        """mutation { upsertReward(input: { name: { en: "Lamp" }, cost: 100,
           kind: FREE_PRODUCT, couponValidDays: 400 }) { reward { id } } }""",
        token=acme.admin,
    )
    reward_id = body["data"]["upsertReward"]["reward"]["id"]
    code = (await redeem(api, acme, reward_id, "k1"))["redemption"]["couponCode"]
    # when it is cancelled after those points would have expired
    api.clock.set(datetime(2027, 2, 1, 9, tzinfo=UTC))
    payload = await cancel(api, acme.member_token(api, "c1"), code, "x1")
    # then the points are back, for 30 days from now
    assert payload["wallet"] == {"balance": 100}
    assert await expiring(api, acme) == [{"points": 100, "expiresAt": "2027-03-03T09:00:00+00:00"}]


async def test_expired_unused_coupons_give_points_back_by_the_job(
    api: Api, acme: TenantCreds
) -> None:
    # given a coupon that expired unused (30 days)
    code = await coupon_for(api, acme)
    api.clock.advance(timedelta(days=31))
    assert api.database is not None
    # when the scheduler runs, twice
    first = await Scheduler(api.database, api.deps, interval=60).tick()
    second = await Scheduler(api.database, api.deps, interval=60).tick()
    # then the points came back once, and the coupon says it expired
    assert (first["coupons"], second["coupons"]) == (1, 0)
    balance, _, _, nodes = await wallet(api, acme)
    assert balance == 150
    assert nodes[0]["reason"] == "Points back: coupon for Coffee expired unused"
    used = await consume(api, acme, code, "o-1")
    assert [e["code"] for e in used["userErrors"]] == ["COUPON_EXPIRED"]


async def test_program_can_keep_expired_coupons_points(api: Api, acme: TenantCreds) -> None:
    # given a program that keeps the points of expired coupons
    body = await api.gql(
        UPDATE_PROGRAM, {"input": {"returnExpiredCoupons": False}}, token=acme.admin
    )
    assert body["data"]["updateProgram"]["program"] == {"returnExpiredCoupons": False}
    await coupon_for(api, acme)
    api.clock.advance(timedelta(days=31))
    assert api.database is not None
    # when the scheduler runs
    done = await Scheduler(api.database, api.deps, interval=60).tick()
    # then nothing came back
    assert done["coupons"] == 0
    assert (await wallet(api, acme))[0] == 50


async def test_consuming_a_cancelled_coupon_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    code = await coupon_for(api, acme)
    await cancel(api, acme.admin, code, "x1")
    # when
    body = await api.gql(
        """mutation($code: String!) { consumeCoupon(input: { code: $code, orderId: "o-1" }) {
           coupon { code } userErrors { code field message } } }""",
        {"code": code},
        token=acme.events,
        locale="ar",
    )
    # then
    assert body["data"]["consumeCoupon"] == {
        "coupon": None,
        "userErrors": [
            {"code": "COUPON_CANCELLED", "field": ["input", "code"], "message": "أُلغي هذا الكوبون."}
        ],
    }


async def test_another_tenant_cannot_cancel(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given acme's coupon
    code = await coupon_for(api, acme)
    before = await wallet(api, acme)
    # when globex's merchant tries to cancel it
    payload = await cancel(api, globex.admin, code, "x1")
    # then it does not exist there
    assert [e["code"] for e in payload["userErrors"]] == ["COUPON_NOT_FOUND"]
    assert await wallet(api, acme) == before
