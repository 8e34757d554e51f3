"""Deliveries the door refuses: a wrong or missing proof (401), a replayed Standard Webhooks
timestamp (401), a signed body that is not the platform's shape (422); in each case nothing
is stored. Kinds the program does not use are answered 200 and ignored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.store_simulator import (
    CONNECTIONS,
    CUSTOMERS,
    ORDERS,
    Store,
    connect,
    fixture,
    send_step,
)

MEMBER = """query($id: ID!) { member(externalId: $id) { externalId } }"""
PLATFORMS = ["salla", "zid", "shopify", "custom"]
ORDER_FIXTURES = {
    "salla": "order.created",
    "zid": "order.create",
    "shopify": "orders-create",
    "custom": "order.created",
}
WRONG = {"salla": "00" * 32, "zid": "not-the-token-at-all", "shopify": "AAAA", "custom": "v1,AAAA"}


async def stored_nothing(api: Api, creds: TenantCreds, platform: str) -> None:
    body = await api.gql(MEMBER, {"id": CUSTOMERS[platform]}, token=creds.admin)
    assert body["data"]["member"] is None
    assert await api.deps.orders.get(creds.slug, ORDERS[platform]) is None
    assert await api.deps.store_orders.for_order(creds.slug, ORDERS[platform]) == []


async def counts(api: Api, creds: TenantCreds) -> list[tuple[int, int]]:
    body = await api.gql(CONNECTIONS, token=creds.admin)
    return [(c["eventsAccepted"], c["eventsRejected"]) for c in body["data"]["storeConnections"]]


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_wrong_signature_is_401_and_stores_nothing(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    # when the paid order arrives with a wrong proof, then with none
    paid = fixture(platform, ORDER_FIXTURES[platform])
    wrong = await store.send(paid, topic="orders/paid", signature=WRONG[platform])
    missing = await store.send(paid, topic="orders/paid", signature="")
    # then
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "BAD_SIGNATURE")
    assert (missing.status_code, missing.json()["error"]["code"]) == (401, "BAD_SIGNATURE")
    await stored_nothing(api, acme, platform)
    assert await counts(api, acme) == [(0, 2)]


@pytest.mark.parametrize("platform", ["salla", "shopify"])
async def test_a_body_changed_after_signing_is_401(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given a correctly signed customer event whose body is then altered
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    name = "customer.created" if platform == "salla" else "customers-create"
    original = fixture(platform, name)
    body = json.dumps(original).encode()
    digest = hmac.new(store.secret.encode(), body, hashlib.sha256)
    proof = (
        digest.hexdigest() if platform == "salla" else base64.b64encode(digest.digest()).decode()
    )
    altered = body.replace(b"@example", b"@attacker")
    # when
    response = await store.send(altered, topic="customers/create", signature=proof)
    # then
    assert response.status_code == 401
    await stored_nothing(api, acme, platform)


async def test_a_replayed_standard_webhook_outside_five_minutes_is_401(
    api: Api, acme: TenantCreds
) -> None:
    # given a custom store and a delivery signed six minutes ago
    await connect(api, acme, "custom")
    store = Store(api, acme.slug, "custom")
    order = fixture("custom", "order.created")
    order["type"] = "order.paid"
    # when it is replayed now (and one signed 4 minutes ago arrives)
    stale = await store.send(order, sent_at=api.clock.now() - timedelta(minutes=6))
    future = await store.send(order, sent_at=api.clock.now() + timedelta(minutes=6))
    # then the stale and future ones are refused and nothing is stored
    assert (stale.status_code, future.status_code) == (401, 401)
    await stored_nothing(api, acme, "custom")
    # and one within the tolerance is accepted
    fresh = await store.send(order, sent_at=api.clock.now() - timedelta(minutes=4))
    assert (fresh.status_code, fresh.json()) == (200, {"status": "applied"})


MALFORMED: dict[str, Any] = {
    "salla": {"event": "order.created", "data": {"id": 1, "status": {"slug": "in_progress"}}},
    "zid": {"id": 5, "order_status": {"code": "delivered"}, "order_total": "lots"},
    "shopify": {"id": 7, "customer": {"id": 1}, "current_total_price": "-3", "created_at": "x"},
    "custom": {"type": "order.paid", "data": {"id": "o", "total": "1"}},
}


@pytest.mark.parametrize("platform", PLATFORMS)
async def test_a_signed_body_of_the_wrong_shape_is_422_and_stores_nothing(
    api: Api, acme: TenantCreds, platform: str
) -> None:
    # given
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    # when a validly signed sender posts a body that is not the documented shape, or no JSON
    shaped = await store.send(MALFORMED[platform], topic="orders/paid")
    garbage = await store.send(b"{not json", topic="orders/paid", event_id="e-garbage")
    # then
    for response in (shaped, garbage):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "MALFORMED_PAYLOAD"
    await stored_nothing(api, acme, platform)
    assert await counts(api, acme) == [(0, 2)]


async def test_unknown_event_kinds_get_200_and_change_nothing(api: Api, acme: TenantCreds) -> None:
    # given
    await connect(api, acme, "shopify")
    await connect(api, acme, "salla")
    shopify = Store(api, acme.slug, "shopify")
    salla = Store(api, acme.slug, "salla")
    # when
    product = await shopify.send({"id": 1, "title": "Mug"}, topic="products/create")
    review = await salla.send({"event": "review.added", "data": {"id": 3}})
    # then
    assert (product.status_code, product.json()) == (200, {"status": "ignored"})
    assert (review.status_code, review.json()) == (200, {"status": "ignored"})
    assert await counts(api, acme) == [(1, 0), (1, 0)]


async def test_a_connection_of_one_tenant_cannot_post_into_another(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given acme's Salla connection, and globex connected to Salla with its own secret
    await connect(api, acme, "salla")
    await api.gql(
        """mutation { connectStore(input: { platform: SALLA,
          webhookSecret: "globex-own-secret-abcdefgh" }) { userErrors { code } } }""",
        token=globex.admin,
    )
    # when acme's store signs a delivery for globex's URL, and for a tenant with no connection
    into_globex = Store(api, globex.slug, "salla")  # signed with acme's secret
    response = await into_globex.send(fixture("salla", "customer.created"))
    await connect(api, acme, "shopify")
    nowhere = await Store(api, globex.slug, "shopify").send(
        fixture("shopify", "customers-create"), topic="customers/create"
    )
    # then
    assert response.status_code == 401
    assert nowhere.status_code == 404
    await stored_nothing(api, globex, "salla")
    await stored_nothing(api, acme, "salla")


async def test_admins_see_only_their_own_connections(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await connect(api, acme, "zid")
    # when
    theirs = await api.gql(CONNECTIONS, token=globex.admin)
    ours = await api.gql(CONNECTIONS, token=acme.admin)
    # then
    assert theirs["data"]["storeConnections"] == []
    assert [c["platform"] for c in ours["data"]["storeConnections"]] == ["ZID"]
    # and globex cannot disconnect acme's store
    gone = await api.gql(
        "mutation { disconnectStore(platform: ZID) { userErrors { code field } } }",
        token=globex.admin,
    )
    assert gone["data"]["disconnectStore"]["userErrors"] == [
        {"code": "STORE_NOT_CONNECTED", "field": ["platform"]}
    ]
    again = await api.gql(CONNECTIONS, token=acme.admin)
    assert [c["platform"] for c in again["data"]["storeConnections"]] == ["ZID"]


async def test_an_accepted_delivery_is_counted_with_its_time(api: Api, acme: TenantCreds) -> None:
    # given
    await connect(api, acme, "custom")
    # when
    await send_step(Store(api, acme.slug, "custom"), "customer")
    # then
    body = await api.gql(CONNECTIONS, token=acme.admin)
    connection = body["data"]["storeConnections"][0]
    assert (connection["eventsAccepted"], connection["eventsRejected"]) == (1, 0)
    assert connection["lastEventAt"] == "2026-01-15T12:00:00+00:00"
