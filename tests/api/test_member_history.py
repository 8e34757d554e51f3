"""member(externalId) / me: first and last order dates, orders and redemptions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.members_helpers import at
from tests.api.test_stats import REFUND, order, redeem, reward

HISTORY = """
query($id: ID!, $first: Int, $after: String) { member(externalId: $id) {
  firstOrderAt lastOrderAt
  orders(first: $first, after: $after) {
    edges { cursor node { orderId total currency placedAt pointsEarned refundedTotal pending } }
    pageInfo { hasNextPage endCursor } }
  redemptions(first: $first, after: $after) {
    edges { node { couponCode status pointsSpent createdAt usedAt reward { name cost } } }
    pageInfo { hasNextPage endCursor } } } }
"""
ORDERS = """
query($id: ID!, $first: Int, $after: String) { member(externalId: $id) {
  orders(first: $first, after: $after) {
    edges { node { orderId } } pageInfo { hasNextPage endCursor } } } }
"""
MY_HISTORY = """
{ me { externalId firstOrderAt orders { edges { node { orderId } } }
       redemptions { edges { node { couponCode reward { name } } } } } }
"""


async def history(api: Api, creds: TenantCreds, member: str, **variables: Any) -> Any:
    body = await api.gql(HISTORY, {"id": member, **variables}, token=creds.admin)
    assert body.get("errors") is None, body
    return body["data"]["member"]


async def two_members(api: Api, creds: TenantCreds) -> None:
    """c1: orders A (100, Jan 2nd) and B (250, Jan 5th, 50 refunded) and one coupon;
    c2: order C and its own coupon."""
    api.clock.set(at("2026-01-02T10:00:00"))
    await enroll(api, creds, "c1")
    await enroll(api, creds, "c2")
    await order(api, creds, "c1", "A", "100.00")
    api.clock.set(at("2026-01-05T10:00:00"))
    await order(api, creds, "c1", "B", "250.00")
    await order(api, creds, "c2", "C", "80.00")
    refund = {"input": {"orderId": "B", "amount": "50.00", "idempotencyKey": "f1"}}
    assert (await api.gql(REFUND, refund, token=creds.events))["data"]["refundOrder"] == {
        "userErrors": []
    }
    coffee = await reward(api, creds, "Coffee", 40)
    for member in ("c1", "c2"):
        await give_points(api, creds, member, 100, f"gift-{member}")
        await redeem(api, creds, member, coffee, f"r-{member}")


async def test_the_merchant_sees_a_members_orders_and_coupons_newest_first(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await two_members(api, acme)
    # when
    member = await history(api, acme, "c1")
    # then
    assert (member["firstOrderAt"], member["lastOrderAt"]) == (
        "2026-01-02T10:00:00+00:00",
        "2026-01-05T10:00:00+00:00",
    )
    assert [e["node"] for e in member["orders"]["edges"]] == [
        {
            "orderId": "B",
            "total": "250.00",
            "currency": "SAR",
            "placedAt": "2026-01-05T10:00:00+00:00",
            "pointsEarned": 250,
            "refundedTotal": "50.00",
            "pending": True,
        },
        {
            "orderId": "A",
            "total": "100.00",
            "currency": "SAR",
            "placedAt": "2026-01-02T10:00:00+00:00",
            "pointsEarned": 100,
            "refundedTotal": "0.00",
            "pending": True,
        },
    ]
    coupons = [e["node"] for e in member["redemptions"]["edges"]]
    assert len(coupons) == 1
    assert coupons[0]["status"] == "ISSUED" and coupons[0]["pointsSpent"] == 40
    assert coupons[0]["reward"] == {"name": "Coffee", "cost": 40}
    assert coupons[0]["couponCode"].startswith("ACME-")


async def test_pages_follow_each_other_without_gaps(api: Api, acme: TenantCreds) -> None:
    # given 5 orders, two of them at the same moment (ties broken by order id)
    await enroll(api, acme, "c1")
    for n, order_id in enumerate(("o1", "o2", "o3", "o4", "o5")):
        api.clock.set(at("2026-01-02T10:00:00") + timedelta(hours=min(n, 3)))
        await order(api, acme, "c1", order_id, "10.00")
    # when
    seen, after = [], None
    for _ in range(5):
        variables = {"id": "c1", "first": 2, "after": after}
        body = await api.gql(ORDERS, variables, token=acme.admin)
        page = body["data"]["member"]["orders"]
        seen += [e["node"]["orderId"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then
    assert seen == ["o5", "o4", "o3", "o2", "o1"]


async def test_a_member_token_sees_only_its_own_history(api: Api, acme: TenantCreds) -> None:
    # given
    await two_members(api, acme)
    # when
    mine = await api.gql(MY_HISTORY, token=acme.member_token(api, "c2"))
    # then
    me = mine["data"]["me"]
    assert me["externalId"] == "c2" and me["firstOrderAt"] == "2026-01-05T10:00:00+00:00"
    assert [e["node"]["orderId"] for e in me["orders"]["edges"]] == ["C"]
    c1_code = (await history(api, acme, "c1"))["redemptions"]["edges"][0]["node"]["couponCode"]
    codes = [e["node"]["couponCode"] for e in me["redemptions"]["edges"]]
    assert len(codes) == 1 and c1_code not in codes


async def test_another_tenants_admin_cannot_read_this_history(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await two_members(api, acme)
    await enroll(api, globex, "c1")
    # when
    member = await history(api, globex, "c1")
    # then
    assert member["firstOrderAt"] is None
    assert member["orders"]["edges"] == [] and member["redemptions"]["edges"] == []


async def test_a_bad_cursor_or_page_size_is_a_coded_error(api: Api, acme: TenantCreds) -> None:
    # given
    await two_members(api, acme)
    for variables, field in (({"after": "bm90LWEtY3Vyc29y"}, ["after"]), ({"first": 0}, ["first"])):
        # when
        body = await api.gql(ORDERS, {"id": "c1", **variables}, token=acme.admin)
        # then
        assert body["data"] == {"member": None}
        assert body["errors"][0]["extensions"]["field"] == field
