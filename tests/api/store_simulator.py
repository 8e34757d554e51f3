"""A store simulator: sends each platform's documented webhook payloads (the fixtures in
tests/fixtures/webhooks/, varied per step), signed as that platform signs them."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from standardwebhooks.webhooks import Webhook

from tests.api.conftest import Api, TenantCreds

FIXTURES = Path(__file__).parent.parent / "fixtures" / "webhooks"
SECRETS = {
    "salla": "salla-webhook-secret-0123456789",
    "zid": "zid-token-0123456789abcdef",
    "shopify": "shpss_0123456789abcdef0123456789",
    "custom": "whsec_" + base64.b64encode(b"custom-store-secret-32-bytes-key").decode(),
}
CUSTOMERS = {
    "salla": "225167971",
    "zid": "2083543",
    "shopify": "706405506930370084",
    "custom": "cust-7731",
}
ORDERS = {
    "salla": "2116149737",
    "zid": "25304285",
    "shopify": "820982911946154508",
    "custom": "ord-5521",
}
RIYADH = ZoneInfo("Asia/Riyadh")

CONNECT = """
mutation($input: ConnectStoreInput!) { connectStore(input: $input) {
  connection { platform storeId webhookUrl earnOn lastEventAt eventsAccepted eventsRejected }
  userErrors { code field message } } }
"""
CONNECTIONS = """
{ storeConnections { platform storeId webhookUrl earnOn lastEventAt eventsAccepted
  eventsRejected } }
"""
SET_PROGRAM = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
    program { unknownCustomerOrders orderTotalBasis } userErrors { code } } }
"""


def fixture(platform: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / platform / f"{name}.json").read_text("utf-8"))
    return data


async def set_program(
    api: Api, creds: TenantCreds, policy: str | None = None, basis: str | None = None
) -> None:
    changes = {"unknownCustomerOrders": policy, "orderTotalBasis": basis}
    given = {name: value for name, value in changes.items() if value is not None}
    body = await api.gql(SET_PROGRAM, {"input": given}, token=creds.admin)
    assert body.get("data") and body["data"]["updateProgram"]["userErrors"] == [], body


async def connect(
    api: Api, creds: TenantCreds, platform: str, earn_on: str = "PAID"
) -> dict[str, Any]:
    variables = {
        "input": {
            "platform": platform.upper(),
            "webhookSecret": SECRETS[platform],
            "earnOn": earn_on,
        }
    }
    body = await api.gql(CONNECT, variables, token=creds.admin)
    payload: dict[str, Any] = body["data"]["connectStore"]
    assert payload["userErrors"] == [], payload
    return payload


@dataclass
class Store:
    api: Api
    tenant: str
    platform: str
    secret: str = ""
    zone: str = "UTC"  # the program's time zone, in which Zid's times are written

    def __post_init__(self) -> None:
        self.secret = self.secret or SECRETS[self.platform]

    async def send(
        self,
        payload: dict[str, Any] | bytes,
        *,
        topic: str = "",
        event_id: str = "",
        signature: str | None = None,
        sent_at: datetime | None = None,
    ) -> httpx.Response:
        """Signed as the platform signs; `signature` replaces the proof (bad or absent "")."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        path = f"/webhooks/{self.platform}/{self.tenant}"
        params: dict[str, str] = {}
        if self.platform == "salla":
            proof = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Salla-Signature"] = proof if signature is None else signature
        elif self.platform == "shopify":
            digest = hmac.new(self.secret.encode(), body, hashlib.sha256).digest()
            proof = base64.b64encode(digest).decode()
            headers["X-Shopify-Hmac-Sha256"] = proof if signature is None else signature
            headers["X-Shopify-Topic"] = topic
            headers["X-Shopify-Event-Id"] = event_id or hashlib.sha1(body).hexdigest()
        elif self.platform == "zid":
            params["token"] = self.secret if signature is None else signature
        else:
            moment = sent_at or self.api.clock.now()
            msg_id = event_id or "msg_" + hashlib.sha1(body).hexdigest()[:20]
            proof = Webhook(self.secret).sign(msg_id, moment, body.decode())
            headers["webhook-id"] = msg_id
            headers["webhook-timestamp"] = str(int(moment.timestamp()))
            headers["webhook-signature"] = proof if signature is None else signature
        return await self.api.client.post(path, content=body, headers=headers, params=params)


def js_time(moment: datetime) -> str:
    """Salla's envelope time format."""
    return moment.astimezone(RIYADH).strftime("%a %b %d %Y %H:%M:%S GMT%z")


def riyadh(moment: datetime) -> str:
    return wall_clock(moment, "Asia/Riyadh")


def wall_clock(moment: datetime, zone: str) -> str:
    """Zid's time format: the wall-clock time, without an offset."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Step:
    payload: dict[str, Any]
    topic: str = ""
    event_id: str = ""


# A partial refund on Salla and Zid: the store lowers the order's total and sends the order
# again (Salla: order.total.price.updated; Zid: the order with its credit-noted order_total).
SALLA_AFTER_PARTIAL_REFUND = 140.3  # of 220.3: 80 SAR refunded
ZID_AFTER_PARTIAL_REFUND = "180.00000000000000"  # of 230: 50 SAR refunded


def salla_step(kind: str, now: datetime, zone: str = "UTC") -> Step:
    if kind == "customer":
        return Step(fixture("salla", "customer.created"))
    order = fixture("salla", "order.created")
    order["created_at"] = js_time(now)
    event, slug = {
        "created": ("order.created", "under_review"),
        "paid": ("order.status.updated", "in_progress"),
        "delivered": ("order.status.updated", "delivered"),
        "cancelled": ("order.status.updated", "canceled"),
        "refund": ("order.total.price.updated", "delivered"),
        "refund-rest": ("order.refunded", "restored"),
        "refunded": ("order.refunded", "restored"),
    }[kind]
    order["event"] = event
    order["data"]["status"]["slug"] = slug
    if kind.startswith("refund-") or kind == "refund":
        order["data"]["amounts"]["total"]["amount"] = SALLA_AFTER_PARTIAL_REFUND
    return Step(order)


def zid_step(kind: str, now: datetime, zone: str = "UTC") -> Step:
    if kind == "customer":
        return Step(fixture("zid", "customer.create"))
    order = fixture("zid", "order.create")
    order["created_at"] = wall_clock(datetime.fromisoformat("2026-01-13T12:00:00+03:00"), zone)
    order["updated_at"] = wall_clock(now, zone)
    code, paid = {
        "created": ("new", "pending"),
        "paid": ("preparing", "paid"),
        "delivered": ("delivered", "paid"),
        "cancelled": ("canceled", "pending"),
        "refund": ("delivered", "paid"),
        "refund-rest": ("refunded", "paid"),
        "refunded": ("refunded", "paid"),
    }[kind]
    order["order_status"]["code"] = code
    order["payment_status"] = paid
    if kind.startswith("refund-") or kind == "refund":
        order["order_total"] = ZID_AFTER_PARTIAL_REFUND
    return Step(order)


def shopify_step(kind: str, now: datetime, zone: str = "UTC") -> Step:
    stamp = now.isoformat()
    if kind == "customer":
        return Step(fixture("shopify", "customers-create"), "customers/create", "e-customer")
    if kind.startswith("refund"):
        refund = fixture("shopify", "refunds-create")
        refund["created_at"] = stamp
        if kind == "refund-rest":
            refund["id"] = 509562970
            refund["transactions"][0]["amount"] = "135.00"
        return Step(refund, "refunds/create", f"e-{kind}")
    order = fixture("shopify", "orders-create")
    topic = {
        "created": "orders/create",
        "paid": "orders/paid",
        "delivered": "orders/fulfilled",
        "cancelled": "orders/cancelled",
    }[kind]
    if kind != "created":
        order["financial_status"] = "paid"
        order["processed_at"] = stamp
    if kind == "delivered":
        order["fulfillment_status"] = "fulfilled"
        order["fulfillments"] = [{"id": 255858046, "created_at": stamp, "updated_at": stamp}]
    if kind == "cancelled":
        order["cancelled_at"] = stamp
    return Step(order, topic, f"e-{kind}")


def custom_step(kind: str, now: datetime, zone: str = "UTC") -> Step:
    stamp = now.astimezone(UTC).isoformat()
    if kind == "customer":
        return Step(fixture("custom", "customer.created"))
    if kind.startswith("refund"):
        refund = fixture("custom", "refund.created")
        refund["data"]["created_at"] = stamp
        if kind == "refund-rest":
            refund["data"]["id"] = "ref-2"
            refund["data"]["amount"] = None
        return Step(refund)
    order = fixture("custom", "order.created")
    order["type"] = f"order.{kind}"
    order["timestamp"] = stamp
    if kind == "delivered":
        order["data"]["delivered_at"] = stamp
    return Step(order)


STEPS = {"salla": salla_step, "zid": zid_step, "shopify": shopify_step, "custom": custom_step}


async def send_step(store: Store, kind: str, at: datetime | None = None) -> httpx.Response:
    step = STEPS[store.platform](kind, at or store.api.clock.now(), store.zone)
    return await store.send(copy.deepcopy(step.payload), topic=step.topic, event_id=step.event_id)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def with_reservation(platform: str, payload: dict[str, Any], reservation_id: str) -> None:
    """Where a storefront paying with points puts the reservation in the store's order."""
    note = f"points_reservation_id={reservation_id}"
    if platform == "salla":  # an order item's note (Salla's order model)
        payload["data"]["items"][0]["notes"] = note
    elif platform == "zid":  # the customer's note on the order (Zid's OrderCustomer.note)
        payload["customer"]["note"] = note
    elif platform == "shopify":  # a cart attribute, handed on as note_attributes
        payload["note_attributes"] = [{"name": "points_reservation_id", "value": reservation_id}]
    else:
        payload["data"]["points_reservation_id"] = reservation_id
