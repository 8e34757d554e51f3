"""GraphQL calls of checkout with points, shared by its API tests."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, TenantCreds

QUOTE = """
query($input: QuoteOrderInput!) {
  quoteOrder(input: $input) {
    pointsToEarn maxRedeemablePoints maxDiscount currency campaigns { id }
  }
}
"""

RESERVE = """
mutation($input: ReservePointsInput!) {
  reservePoints(input: $input) {
    reservation { id points discount currency status expiresAt orderId }
    wallet { balance }
    userErrors { code field message }
  }
}
"""

RELEASE = """
mutation($id: ID!) {
  releasePoints(reservationId: $id) {
    reservation { id points status }
    wallet { balance }
    userErrors { code field message }
  }
}
"""

ORDER = """
mutation($input: RecordOrderInput!) {
  recordOrder(input: $input) {
    pointsEarned
    member { wallet { balance } }
    userErrors { code field message }
  }
}
"""

REFUND = """
mutation($input: RefundOrderInput!) {
  refundOrder(input: $input) {
    pointsReversed pointsReturned shortfall
    member { wallet { balance expiringSoon(withinDays: 400) { points expiresAt } } }
    userErrors { code field message }
  }
}
"""

SETTINGS = """
mutation($input: UpdateProgramInput!) {
  updateProgram(input: $input) {
    program { checkout { minPoints step maxCartPercent holdMinutes } }
    userErrors { code field message }
  }
}
"""

LEDGER = "type kind points balanceAfter reason orderId"


async def reserve(
    api: Api,
    creds: TenantCreds,
    member: str,
    points: int,
    key: str,
    *,
    cart: str = "100.00",
    currency: str = "SAR",
    locale: str | None = None,
) -> dict[str, Any]:
    variables = {
        "input": {
            "points": points,
            "cartTotal": cart,
            "currency": currency,
            "idempotencyKey": key,
        }
    }
    token = creds.member_token(api, member)
    body = await api.gql(RESERVE, variables, token=token, locale=locale)
    payload: dict[str, Any] = body["data"]["reservePoints"]
    return payload


async def release(api: Api, token: str, reservation_id: str) -> dict[str, Any]:
    body = await api.gql(RELEASE, {"id": reservation_id}, token=token)
    payload: dict[str, Any] = body["data"]["releasePoints"]
    return payload


async def order(
    api: Api,
    creds: TenantCreds,
    member: str,
    order_id: str,
    total: str,
    reservation_id: str | None,
    items: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    variables = {
        "input": {
            "memberExternalId": member,
            "orderId": order_id,
            "total": total,
            "currency": "SAR",
            "pointsReservationId": reservation_id,
            "items": items,
        }
    }
    body = await api.gql(ORDER, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["recordOrder"]
    return payload


async def refund(
    api: Api, creds: TenantCreds, order_id: str, amount: str | None, key: str
) -> dict[str, Any]:
    variables = {"input": {"orderId": order_id, "amount": amount, "idempotencyKey": key}}
    body = await api.gql(REFUND, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["refundOrder"]
    return payload


async def set_checkout(api: Api, creds: TenantCreds, **settings: int) -> None:
    body = await api.gql(SETTINGS, {"input": {"checkout": settings}}, token=creds.admin)
    assert body["data"]["updateProgram"]["userErrors"] == [], body
