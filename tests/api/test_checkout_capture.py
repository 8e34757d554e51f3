"""The store's order captures held points; expiry gives them back; refunds return a share."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.checkout_helpers import LEDGER, order, refund, release, reserve
from tests.api.conftest import Api, TenantCreds, admin_wallet, enroll, give_points


@pytest.fixture
async def shopper(api: Api, acme: TenantCreds) -> str:
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 1000, "seed")
    return "c1"


async def test_the_order_captures_the_hold_and_earns_on_what_was_paid(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given 500 points held for a 100 SAR cart (5 SAR off)
    held = (await reserve(api, acme, shopper, 500, "cart-1"))["reservation"]
    # when the store records the 95 SAR order with the reservation
    payload = await order(api, acme, shopper, "o-1", "95.00", held["id"])
    # then the order earns on 95 SAR and the held points are spent for good
    assert payload["userErrors"] == []
    assert payload["pointsEarned"] == 95
    balance, pending, _, nodes = await admin_wallet(api, acme, shopper, LEDGER)
    assert (balance, pending) == (500, 95)
    assert nodes[1] == {
        "type": "REDEEM",  # as the contract's enum reads it
        "kind": "CAPTURE",
        "points": 0,
        "balanceAfter": 500,
        "reason": "Paid order o-1 with 500 points",
        "orderId": "o-1",
    }
    # and a retry of the order captures nothing more
    again = await order(api, acme, shopper, "o-1", "95.00", held["id"])
    assert again["userErrors"] == [] and again["member"]["wallet"] == {"balance": 500}
    assert await admin_wallet(api, acme, shopper, LEDGER) == (balance, pending, 1095, nodes)


async def test_a_hold_past_its_time_is_spendable_again_and_cannot_be_captured(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given 500 points held, and 31 minutes passing without an order
    held = (await reserve(api, acme, shopper, 500, "cart-1"))["reservation"]
    api.clock.advance(timedelta(minutes=31))
    # then the balance counts them again before any job ran
    before = await admin_wallet(api, acme, shopper, LEDGER)
    assert before[0] == 1000
    # when the store records the order with the expired reservation
    payload = await order(api, acme, shopper, "o-1", "95.00", held["id"])
    # then it is refused as expired, and no order or points were recorded
    assert payload["userErrors"] == [
        {
            "code": "RESERVATION_EXPIRED",
            "field": ["input", "pointsReservationId"],
            "message": "This reservation has expired and its points are back in the balance."
            " Reserve them again.",
        }
    ]
    assert await admin_wallet(api, acme, shopper, LEDGER) == before
    assert await api.deps.orders.get(acme.slug, "o-1") is None
    # and releasing it is refused the same way
    token = acme.member_token(api, shopper)
    assert [e["code"] for e in (await release(api, token, held["id"]))["userErrors"]] == [
        "RESERVATION_EXPIRED"
    ]


async def test_the_settlement_job_writes_the_expired_hold_back(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    from loyalty.usecases.settlement import settle_due_wallets

    # given a hold that expired
    await reserve(api, acme, shopper, 500, "cart-1")
    api.clock.advance(timedelta(minutes=30))
    # when the scheduler settles due wallets
    written = await settle_due_wallets(api.deps, acme.slug)
    # then the HOLD_RELEASE entry is in the ledger, at the hold's end
    assert written == 1
    _, _, _, nodes = await admin_wallet(api, acme, shopper, LEDGER)
    assert nodes[0] == {
        "type": "REDEEM",  # as the contract's enum reads it
        "kind": "HOLD_RELEASE",
        "points": 500,
        "balanceAfter": 1000,
        "reason": "Checkout hold expired: 500 points back in the balance",
        "orderId": None,
    }


async def test_a_released_or_foreign_reservation_cannot_be_captured(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given one reservation released, and another member's reservation
    released = (await reserve(api, acme, shopper, 100, "cart-1"))["reservation"]
    await release(api, acme.member_token(api, shopper), released["id"])
    await enroll(api, acme, "c2")
    await give_points(api, acme, "c2", 300, "seed-2")
    theirs = (await reserve(api, acme, "c2", 300, "cart-2"))["reservation"]
    before = (
        await admin_wallet(api, acme, shopper, LEDGER),
        await admin_wallet(api, acme, "c2", LEDGER),
    )
    # when orders try to capture them
    gone = await order(api, acme, shopper, "o-1", "10.00", released["id"])
    foreign = await order(api, acme, shopper, "o-2", "10.00", theirs["id"])
    unknown = await order(api, acme, shopper, "o-3", "10.00", "pr_unknown")
    # then each is refused with its reason and nothing changed
    assert [e["code"] for e in gone["userErrors"]] == ["RESERVATION_RELEASED"]
    assert [e["code"] for e in foreign["userErrors"]] == ["RESERVATION_NOT_FOUND"]
    assert [e["code"] for e in unknown["userErrors"]] == ["RESERVATION_NOT_FOUND"]
    after = (
        await admin_wallet(api, acme, shopper, LEDGER),
        await admin_wallet(api, acme, "c2", LEDGER),
    )
    assert after == before


async def test_a_reservation_pays_one_order_only(api: Api, acme: TenantCreds, shopper: str) -> None:
    held = (await reserve(api, acme, shopper, 100, "cart-1"))["reservation"]
    await order(api, acme, shopper, "o-1", "10.00", held["id"])
    before = await admin_wallet(api, acme, shopper, LEDGER)
    second = await order(api, acme, shopper, "o-2", "10.00", held["id"])
    assert second["userErrors"] == [
        {
            "code": "RESERVATION_CAPTURED",
            "field": ["input", "pointsReservationId"],
            "message": "This reservation has already paid for order o-1.",
        }
    ]
    assert await admin_wallet(api, acme, shopper, LEDGER) == before
    # and the captured reservation cannot be released
    token = acme.member_token(api, shopper)
    assert [e["code"] for e in (await release(api, token, held["id"]))["userErrors"]] == [
        "RESERVATION_CAPTURED"
    ]


async def test_refunds_return_paid_points_in_proportion_with_their_lots_expiry(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given an order of 100 SAR paid with 500 held points, from lots expiring 2027-01-16
    held = (await reserve(api, acme, shopper, 500, "cart-1"))["reservation"]
    await order(api, acme, shopper, "o-1", "100.00", held["id"])
    # when a quarter of it is refunded, then the rest
    quarter = await refund(api, acme, "o-1", "25.00", "r-1")
    rest = await refund(api, acme, "o-1", None, "r-2")
    # then a quarter of the points, then the rest, come back spendable
    assert (quarter["pointsReturned"], rest["pointsReturned"]) == (125, 375)
    assert quarter["member"]["wallet"]["balance"] == 625
    assert rest["member"]["wallet"]["balance"] == 1000
    # with the spent lots' expiry (all 1,000 points now expire together)
    assert rest["member"]["wallet"]["expiringSoon"] == [
        {"points": 1000, "expiresAt": "2027-01-16T00:00:00+00:00"}
    ]
    _, _, _, nodes = await admin_wallet(api, acme, shopper, LEDGER)
    assert nodes[0] == {
        "type": "REFUND",
        "kind": "REFUND",
        "points": 375,
        "balanceAfter": 1000,
        "reason": "375 points returned for the refund of order o-1",
        "orderId": "o-1",
    }
    # and a retried refund returns nothing twice
    again = await refund(api, acme, "o-1", None, "r-2")
    assert again["pointsReturned"] == 375 and again["member"]["wallet"]["balance"] == 1000


async def test_stats_count_points_paid_at_checkout_as_redeemed_less_what_refunds_returned(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given 500 points paid on an order, 125 of them returned by a quarter refund, and a
    # released hold that paid nothing
    held = (await reserve(api, acme, shopper, 500, "cart-1"))["reservation"]
    await order(api, acme, shopper, "o-1", "100.00", held["id"])
    await refund(api, acme, "o-1", "25.00", "r-1")
    dropped = (await reserve(api, acme, shopper, 100, "cart-2"))["reservation"]
    await release(api, acme.member_token(api, shopper), dropped["id"])
    # when the merchant reads the day's figures
    body = await api.gql(
        "query($from: DateTime!, $to: DateTime!) { stats(from: $from, to: $to) {"
        " pointsRedeemed } }",
        {"from": "2026-01-15T00:00:00Z", "to": "2026-01-16T00:00:00Z"},
        token=acme.admin,
    )
    # then 375 points were redeemed
    assert body["data"]["stats"] == {"pointsRedeemed": 375}
