"""Amounts go out in the currency's minor units, whatever digits were sent: "100" SAR reads
"100.00" and "1.5" KWD reads "1.500", in the API's amounts and in its messages alike."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, create_tenant, enroll

REFUND = """
mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
  refundedTotal userErrors { code } } }
"""
ORDERS = """
query($id: ID!) { member(externalId: $id) { orders { edges { node {
  orderId total refundedTotal } } } } }
"""


async def record(
    api: Api, creds: TenantCreds, order_id: str, total: str, currency: str, locale: str = "en"
) -> dict[str, Any]:
    variables = {
        "input": {
            "memberExternalId": "m",
            "orderId": order_id,
            "total": total,
            "currency": currency,
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events, locale=locale)
    payload: dict[str, Any] = body["data"]["recordOrder"]
    return payload


async def test_order_amounts_read_back_in_minor_units(api: Api, acme: TenantCreds) -> None:
    # given an order of "100" SAR, refunded "50"
    await enroll(api, acme, "m")
    assert (await record(api, acme, "o-1", "100", "SAR"))["userErrors"] == []
    refund = {"input": {"orderId": "o-1", "amount": "50", "idempotencyKey": "r-1"}}
    # when
    refunded = (await api.gql(REFUND, refund, token=acme.events))["data"]["refundOrder"]
    orders = (await api.gql(ORDERS, {"id": "m"}, token=acme.admin))["data"]["member"]["orders"]
    # then
    assert refunded == {"refundedTotal": "50.00", "userErrors": []}
    assert [e["node"] for e in orders["edges"]] == [
        {"orderId": "o-1", "total": "100.00", "refundedTotal": "50.00"}
    ]


async def test_three_decimal_currencies_show_three_digits_in_amounts_and_messages(
    api: Api,
) -> None:
    # given a Kuwaiti store and an order of "1.5" KWD
    kuwait = await create_tenant(api, "kuwait", currency="KWD")
    await enroll(api, kuwait, "m")
    assert (await record(api, kuwait, "o-1", "1.5", "KWD"))["userErrors"] == []
    # when the same order id comes again with another total, in English and Arabic
    english = await record(api, kuwait, "o-1", "2", "KWD")
    arabic = await record(api, kuwait, "o-1", "2", "KWD", locale="ar")
    orders = (await api.gql(ORDERS, {"id": "m"}, token=kuwait.admin))["data"]["member"]["orders"]
    # then the recorded total reads "1.500" everywhere
    assert orders["edges"][0]["node"]["total"] == "1.500"
    assert [e["message"] for e in english["userErrors"]] == [
        "Order o-1 was already recorded with a different total (recorded total: 1.500 KWD)."
        " Use a new order id for a new order."
    ]
    assert [e["message"] for e in arabic["userErrors"]] == [
        "سُجّل الطلب \u2068o-1\u2069 من قبل بقيم أخرى في: الإجمالي"
        " (الإجمالي المسجَّل 1.500 دينار كويتي). استخدم رقم طلب جديدًا للطلب الجديد."
    ]
