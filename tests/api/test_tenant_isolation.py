"""Two tenants with the same member id: nothing crosses from one to the other."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import (
    ADJUST,
    RECORD_ORDER,
    WALLET,
    Api,
    TenantCreds,
    enroll,
    give_points,
)
from tests.api.store_simulator import set_program

MEMBER = """
query($id: ID!) { member(externalId: $id) { externalId wallet { balance pendingBalance
  lifetimeEarned transactions(first: 50) { edges { node { type points orderId } } } } } }
"""
REFUND = """
mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
  pointsReversed member { externalId } userErrors { code field message } } }
"""
UPSERT_REWARD = """
mutation($input: UpsertRewardInput!) { upsertReward(input: $input) {
  reward { id cost } userErrors { code field message } } }
"""
REDEEM = """
mutation($input: RedeemRewardInput!) { redeemReward(input: $input) {
  redemption { couponCode status pointsSpent } wallet { balance }
  userErrors { code field message } } }
"""
COUPON = """
query($code: String!) { coupon(code: $code) {
  coupon { code status memberExternalId } userErrors { code field message } } }
"""


async def two_tenants(api: Api, acme: TenantCreds, globex: TenantCreds) -> None:
    await enroll(api, acme, "c1")
    await enroll(api, globex, "c1")
    await give_points(api, acme, "c1", 100, "acme-k1")
    await give_points(api, globex, "c1", 7, "globex-k1")


async def member_of(api: Api, creds: TenantCreds, external_id: str) -> Any:
    body = await api.gql(MEMBER, {"id": external_id}, token=creds.admin)
    assert "errors" not in body, body
    return body["data"]["member"]


def error_codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_each_admin_sees_its_own_member(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    # when
    in_acme = await member_of(api, acme, "c1")
    in_globex = await member_of(api, globex, "c1")
    # then
    assert in_acme["wallet"]["balance"] == 100
    assert in_acme["wallet"]["transactions"]["edges"] == [
        {"node": {"type": "ADJUST", "points": 100, "orderId": None}}
    ]
    assert in_globex["wallet"]["balance"] == 7
    assert in_globex["wallet"]["transactions"]["edges"] == [
        {"node": {"type": "ADJUST", "points": 7, "orderId": None}}
    ]


async def test_record_order_for_member_of_another_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    await enroll(api, globex, "only-in-globex")
    await set_program(api, acme, policy="REFUSE")  # ENROL would make a member of acme's own
    before = await member_of(api, globex, "only-in-globex")
    # when
    body = await api.gql(
        RECORD_ORDER,
        {
            "input": {
                "memberExternalId": "only-in-globex",
                "orderId": "o1",
                "total": "100.00",
                "currency": "SAR",
            }
        },
        token=acme.events,
    )
    # then
    payload = body["data"]["recordOrder"]
    assert error_codes(payload) == ["MEMBER_NOT_FOUND"]
    assert payload["member"] is None
    assert payload["pointsEarned"] is None
    assert await member_of(api, globex, "only-in-globex") == before
    assert before["wallet"]["transactions"]["edges"] == []
    assert await member_of(api, acme, "only-in-globex") is None


async def test_adjust_points_for_member_of_another_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await enroll(api, globex, "only-in-globex")
    # when
    body = await api.gql(
        ADJUST,
        {
            "input": {
                "memberExternalId": "only-in-globex",
                "points": 50,
                "reason": "x",
                "idempotencyKey": "k1",
            }
        },
        token=acme.admin,
    )
    # then
    payload = body["data"]["adjustPoints"]
    assert error_codes(payload) == ["MEMBER_NOT_FOUND"]
    assert payload["member"] is None
    globex_member = await member_of(api, globex, "only-in-globex")
    assert globex_member["wallet"]["balance"] == 0
    assert globex_member["wallet"]["transactions"]["edges"] == []
    assert await member_of(api, acme, "only-in-globex") is None


async def test_member_token_reads_only_its_own_tenant_wallet(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    # when
    body = await api.gql(WALLET, token=acme.member_token(api, "c1"))
    # then
    me = body["data"]["me"]
    assert me["externalId"] == "c1"
    assert me["wallet"]["balance"] == 100
    assert me["wallet"]["lifetimeEarned"] == 100
    assert [e["node"]["points"] for e in me["wallet"]["transactions"]["edges"]] == [100]


async def test_member_sees_only_own_wallet(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    # when
    body = await api.gql(WALLET, token=acme.member_token(api, "c2"))
    # then
    me = body["data"]["me"]
    assert me["externalId"] == "c2"
    assert (me["wallet"]["balance"], me["wallet"]["lifetimeEarned"]) == (0, 0)
    assert me["wallet"]["transactions"]["edges"] == []
    assert (await member_of(api, acme, "c1"))["wallet"]["balance"] == 100


async def test_member_token_cannot_read_admin_member_query(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    # when
    body = await api.gql(MEMBER, {"id": "c1"}, token=acme.member_token(api, "c2"))
    # then
    assert body["data"] == {"member": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_refund_of_an_order_recorded_in_another_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    recorded = await api.gql(
        RECORD_ORDER,
        {
            "input": {
                "memberExternalId": "c1",
                "orderId": "g-order-1",
                "total": "50.00",
                "currency": "SAR",
            }
        },
        token=globex.events,
    )
    assert recorded["data"]["recordOrder"]["userErrors"] == [], recorded
    globex_before = await member_of(api, globex, "c1")
    acme_before = await member_of(api, acme, "c1")
    # when
    body = await api.gql(
        REFUND, {"input": {"orderId": "g-order-1", "idempotencyKey": "r1"}}, token=acme.events
    )
    # then
    payload = body["data"]["refundOrder"]
    assert error_codes(payload) == ["ORDER_NOT_FOUND"]
    assert payload["pointsReversed"] is None
    assert await member_of(api, globex, "c1") == globex_before
    assert await member_of(api, acme, "c1") == acme_before


async def globex_reward(api: Api, globex: TenantCreds) -> str:
    body = await api.gql(
        UPSERT_REWARD,
        {"input": {"name": {"en": "Mug"}, "cost": 5, "kind": "FREE_PRODUCT"}},
        token=globex.admin,
    )
    payload = body["data"]["upsertReward"]
    assert payload["userErrors"] == [], body
    reward_id: str = payload["reward"]["id"]
    return reward_id


async def test_redeeming_a_reward_of_another_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    reward_id = await globex_reward(api, globex)
    token = acme.member_token(api, "c1")
    # when
    body = await api.gql(
        REDEEM, {"input": {"rewardId": reward_id, "idempotencyKey": "i1"}}, token=token
    )
    # then
    payload = body["data"]["redeemReward"]
    assert error_codes(payload) == ["REWARD_NOT_FOUND"]
    assert payload["redemption"] is None
    acme_member = await member_of(api, acme, "c1")
    assert acme_member["wallet"]["balance"] == 100
    assert len(acme_member["wallet"]["transactions"]["edges"]) == 1
    assert (await member_of(api, globex, "c1"))["wallet"]["balance"] == 7


async def test_coupon_lookup_of_a_coupon_issued_in_another_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_tenants(api, acme, globex)
    reward_id = await globex_reward(api, globex)
    redeemed = await api.gql(
        REDEEM,
        {"input": {"rewardId": reward_id, "idempotencyKey": "i1"}},
        token=globex.member_token(api, "c1"),
    )
    redemption = redeemed["data"]["redeemReward"]
    assert redemption["userErrors"] == [], redeemed
    code = redemption["redemption"]["couponCode"]
    # when
    body = await api.gql(COUPON, {"code": code}, token=acme.events)
    # then
    payload = body["data"]["coupon"]
    assert error_codes(payload) == ["COUPON_NOT_FOUND"]
    assert payload["coupon"] is None
    in_globex = await api.gql(COUPON, {"code": code}, token=globex.events)
    assert in_globex["data"]["coupon"]["coupon"]["code"] == code
    assert in_globex["data"]["coupon"]["coupon"]["memberExternalId"] == "c1"
