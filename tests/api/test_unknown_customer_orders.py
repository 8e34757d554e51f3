"""Orders from customers who are not members yet, by the program's policy (recordOrder and
store webhooks alike): ENROL (the default) makes them members from what the order knows,
HOLD keeps the order until they enrol and then credits it with its own dates, REFUSE answers
MEMBER_NOT_FOUND and changes nothing."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, admin_wallet, enroll
from tests.api.store_simulator import CUSTOMERS, Store, connect, days, send_step, set_program

MEMBER = """query($id: ID!) { member(externalId: $id) { externalId displayName } }"""
PROGRAM = "{ program { unknownCustomerOrders orderTotalBasis } }"


async def record(api: Api, creds: TenantCreds, member: str, order: str, **extra: Any) -> Any:
    variables = {
        "input": {
            "memberExternalId": member,
            "orderId": order,
            "total": "150.00",
            "currency": "SAR",
            **extra,
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    return body["data"]["recordOrder"]


async def test_the_default_policy_is_enrol(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(PROGRAM, tenant=acme.slug)
    # then
    assert body["data"]["program"] == {
        "unknownCustomerOrders": "ENROL",
        "orderTotalBasis": "REPORTED",
    }


async def test_enrol_makes_the_customer_a_member_who_earns_the_order(
    api: Api, acme: TenantCreds
) -> None:
    # when
    payload = await record(api, acme, "new-face", "o-1")
    # then
    assert payload["userErrors"] == []
    assert payload["member"] == {
        "externalId": "new-face",
        "wallet": {"balance": 0, "pendingBalance": 150, "lifetimeEarned": 150},
    }


async def test_refuse_changes_nothing(api: Api, acme: TenantCreds) -> None:
    # given
    await set_program(api, acme, policy="REFUSE")
    # when
    payload = await record(api, acme, "new-face", "o-1")
    # then
    assert [e["code"] for e in payload["userErrors"]] == ["MEMBER_NOT_FOUND"]
    assert (payload["member"], payload["pointsEarned"]) == (None, None)
    body = await api.gql(MEMBER, {"id": "new-face"}, token=acme.admin)
    assert body["data"]["member"] is None
    assert await api.deps.orders.get(acme.slug, "o-1") is None


async def test_hold_credits_the_order_with_its_own_dates_when_the_customer_enrols(
    api: Api, acme: TenantCreds
) -> None:
    # given an order held ten days ago for a customer who is not a member
    await set_program(api, acme, policy="HOLD")
    placed = api.clock.now()
    held = await record(api, acme, "later", "o-1", placedAt=placed.isoformat())
    assert (held["userErrors"], held["member"]) == ([], None)
    assert (held["pointsEarned"], held["pending"]) == (150, True)
    assert await api.deps.orders.get(acme.slug, "o-1") is None
    # when they enrol ten days later
    api.clock.advance(days(10))
    await enroll(api, acme, "later")
    # then the order earned as placed: pending until 14 days after the order, not enrolment
    balance, pending, lifetime, entries = await admin_wallet(api, acme, "later", "type orderId")
    assert (balance, pending, lifetime) == (0, 150, 150)
    assert entries == [{"type": "PENDING", "orderId": "o-1"}]
    api.clock.advance(days(4))
    balance, pending, _, _ = await admin_wallet(api, acme, "later", "type")
    assert (balance, pending) == (150, 0)
    # and the held order is gone: recording it again is the same order, once
    again = await record(api, acme, "later", "o-1", placedAt=placed.isoformat())
    assert again["member"]["wallet"]["lifetimeEarned"] == 150


async def test_hold_through_a_store_and_the_first_app_sign_in(api: Api, acme: TenantCreds) -> None:
    # given a Shopify order paid by a customer who has not signed up yet
    await set_program(api, acme, policy="HOLD")
    await connect(api, acme, "shopify")
    store = Store(api, acme.slug, "shopify")
    assert (await send_step(store, "paid")).json() == {"status": "held"}
    # and a partial refund the store reports before they sign up
    assert (await send_step(store, "refund")).json() == {"status": "held"}
    # when they open the app for the first time (their token enrols them)
    member = CUSTOMERS["shopify"]
    body = await api.gql(
        "{ me { wallet { pendingBalance lifetimeEarned } } }", token=acme.member_token(api, member)
    )
    # then the order is theirs, less the refund
    assert body["data"]["me"]["wallet"] == {"pendingBalance": 135, "lifetimeEarned": 250}


async def test_a_held_order_cancelled_before_enrolment_never_earns(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await set_program(api, acme, policy="HOLD")
    await connect(api, acme, "custom", earn_on="CREATED")
    store = Store(api, acme.slug, "custom")
    assert (await send_step(store, "created")).json() == {"status": "held"}
    # when the order is cancelled, then the customer enrols through the store
    assert (await send_step(store, "cancelled")).json() == {"status": "applied"}
    assert (await send_step(store, "customer")).json() == {"status": "applied"}
    # then
    balance, pending, lifetime, entries = await admin_wallet(api, acme, CUSTOMERS["custom"], "type")
    assert (balance, pending, lifetime, entries) == (0, 0, 0, [])


async def test_enrol_through_a_store_takes_what_the_order_knows(
    api: Api, acme: TenantCreds
) -> None:
    # given no customer event, only the order
    await connect(api, acme, "salla")
    # when
    response = await send_step(Store(api, acme.slug, "salla"), "paid")
    # then
    assert response.json() == {"status": "applied"}
    body = await api.gql(MEMBER, {"id": CUSTOMERS["salla"]}, token=acme.admin)
    assert body["data"]["member"] == {
        "externalId": CUSTOMERS["salla"],
        "displayName": "Noura Al-Harbi",
    }
    stored = await api.deps.members.get_by_external_id(acme.slug, CUSTOMERS["salla"])
    assert stored is not None
    assert (stored.email, stored.phone) == ("noura@example.sa", "+966555555555")


async def test_refuse_through_a_store_is_answered_and_stores_no_member(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await set_program(api, acme, policy="REFUSE")
    await connect(api, acme, "zid")
    # when
    response = await send_step(Store(api, acme.slug, "zid"), "paid")
    # then
    assert response.json() == {"status": "refused", "code": "MEMBER_NOT_FOUND"}
    body = await api.gql(MEMBER, {"id": CUSTOMERS["zid"]}, token=acme.admin)
    assert body["data"]["member"] is None


async def test_net_of_shipping_and_tax_when_the_program_says_so(
    api: Api, acme: TenantCreds
) -> None:
    # given a Zid order of 230 SAR with 26.09 shipping and 30 VAT
    await set_program(api, acme, basis="NET_OF_SHIPPING_AND_TAX")
    await connect(api, acme, "zid")
    # when
    await send_step(Store(api, acme.slug, "zid"), "paid")
    # then it earns on 173.91
    _, pending, _, _ = await admin_wallet(api, acme, CUSTOMERS["zid"], "type")
    assert pending == 173


async def test_customer_events_update_name_phone_email_and_birthday(
    api: Api, acme: TenantCreds
) -> None:
    # given a member the store knows
    await connect(api, acme, "salla")
    store = Store(api, acme.slug, "salla")
    await send_step(store, "customer")
    # when the store updates the customer
    from tests.api.store_simulator import fixture

    update = fixture("salla", "customer.created")
    update["event"] = "customer.updated"
    update["data"]["first_name"] = "Nora"
    update["data"]["email"] = "nora@example.sa"
    response = await store.send(update)
    # then
    assert response.json() == {"status": "applied"}
    stored = await api.deps.members.get_by_external_id(acme.slug, CUSTOMERS["salla"])
    assert stored is not None
    assert (stored.display_name, stored.email, stored.phone, str(stored.birthday)) == (
        "Nora Al-Harbi",
        "nora@example.sa",
        "+966555555555",
        "1997-06-03",
    )
