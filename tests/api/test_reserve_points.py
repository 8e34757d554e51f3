"""reservePoints and releasePoints: holding points for a cart, each refusal exact and harmless."""

from __future__ import annotations

import pytest

from tests.api.checkout_helpers import LEDGER, release, reserve, set_checkout
from tests.api.conftest import Api, TenantCreds, admin_wallet, enroll, give_points


@pytest.fixture
async def shopper(api: Api, acme: TenantCreds) -> str:
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 1000, "seed")
    return "c1"


async def test_held_points_leave_the_balance_at_once_and_buy_their_worth(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given 1,000 points worth 0.01 SAR each
    # when 500 are reserved for a 100 SAR cart
    payload = await reserve(api, acme, shopper, 500, "cart-1")
    # then the discount is 5.00 SAR, held for 30 minutes, and the balance shows 500 left
    reservation = payload["reservation"]
    assert payload["userErrors"] == []
    assert (reservation["points"], reservation["discount"], reservation["currency"]) == (
        500,
        "5.00",
        "SAR",
    )
    assert reservation["status"] == "HELD"
    assert reservation["expiresAt"] == "2026-01-15T12:30:00+00:00"
    assert payload["wallet"] == {"balance": 500}
    body = await api.gql(
        "{ me { wallet { heldBalance transactions(first: 1) { edges { node { heldAfter } } } } } }",
        token=acme.member_token(api, shopper),
    )
    wallet = body["data"]["me"]["wallet"]
    assert wallet["heldBalance"] == 500
    assert wallet["transactions"]["edges"][0]["node"]["heldAfter"] == 500
    balance, _, _, nodes = await admin_wallet(api, acme, shopper, LEDGER)
    assert balance == 500
    assert nodes[0] == {
        "type": "REDEEM",  # as the contract's enum reads it
        "kind": "HOLD",
        "points": -500,
        "balanceAfter": 500,
        "reason": "500 points held for checkout",
        "orderId": None,
    }


async def test_the_same_key_returns_the_first_reservation_and_holds_once(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given a reservation
    first = await reserve(api, acme, shopper, 300, "cart-1")
    # when the app retries it
    again = await reserve(api, acme, shopper, 300, "cart-1")
    # then it gets the same reservation back, and 300 points were held once
    assert again["reservation"] == first["reservation"]
    assert again["wallet"] == {"balance": 700}
    # and the key cannot be reused for another request
    other = await reserve(api, acme, shopper, 200, "cart-1")
    assert [e["code"] for e in other["userErrors"]] == ["IDEMPOTENCY_CONFLICT"]


@pytest.mark.parametrize(
    ("points", "cart", "code", "message"),
    [
        (50, "100.00", "POINTS_BELOW_MINIMUM", "Use at least 100 points on an order."),
        (150, "100.00", "POINTS_NOT_IN_STEPS", "Points are used in multiples of 100."),
        (
            700,
            "10.00",
            "DISCOUNT_OVER_LIMIT",
            "Points can pay at most 50% of the cart: up to 500 points (5.00 SAR) on this one.",
        ),
        (
            2000,
            "100.00",
            "INSUFFICIENT_POINTS",
            "Not enough points: 2,000 points required, but only 1,000 points available.",
        ),
    ],
)
async def test_each_program_rule_refuses_with_its_code_and_changes_nothing(
    api: Api, acme: TenantCreds, shopper: str, points: int, cart: str, code: str, message: str
) -> None:
    # given a minimum of 100 points, steps of 100, at most half a cart
    await set_checkout(api, acme, minPoints=100, step=100, maxCartPercent=50, holdMinutes=30)
    before = await admin_wallet(api, acme, shopper, LEDGER)
    # when a reservation breaks one rule
    payload = await reserve(api, acme, shopper, points, f"k-{code}", cart=cart)
    # then it is refused with that rule's code and message, and nothing changed
    assert payload["reservation"] is None and payload["wallet"] is None
    assert payload["userErrors"] == [
        {"code": code, "field": ["input", "points"], "message": message}
    ]
    assert await admin_wallet(api, acme, shopper, LEDGER) == before


async def test_refusals_are_worded_in_arabic_with_its_plurals(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given a minimum of 2 points
    await set_checkout(api, acme, minPoints=2, step=1, maxCartPercent=100, holdMinutes=30)
    # when one point is reserved, in Arabic
    payload = await reserve(api, acme, shopper, 1, "k", locale="ar")
    # then the dual reads as Arabic does
    assert payload["userErrors"][0]["message"] == "أقل ما يمكن استخدامه في الطلب الواحد: نقطتان."


async def test_a_currency_other_than_the_programs_is_refused(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    payload = await reserve(api, acme, shopper, 100, "k", currency="USD")
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("CURRENCY_MISMATCH", ["input", "currency"])
    ]


async def test_release_gives_the_points_back_and_a_second_release_is_refused(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given 400 points held
    held = await reserve(api, acme, shopper, 400, "cart-1")
    token = acme.member_token(api, shopper)
    # when the shopper releases them
    released = await release(api, token, held["reservation"]["id"])
    # then they are spendable again
    assert released["userErrors"] == []
    assert released["reservation"]["status"] == "RELEASED"
    assert released["wallet"] == {"balance": 1000}
    before = await admin_wallet(api, acme, shopper, LEDGER)
    assert before[3][0] == {
        "type": "REDEEM",  # as the contract's enum reads it
        "kind": "HOLD_RELEASE",
        "points": 400,
        "balanceAfter": 1000,
        "reason": "400 points released back to the balance",
        "orderId": None,
    }
    # and releasing again is refused, changing nothing
    again = await release(api, token, held["reservation"]["id"])
    assert again["userErrors"] == [
        {
            "code": "RESERVATION_RELEASED",
            "field": ["reservationId"],
            "message": "This reservation was already released: its points are back in the balance.",
        }
    ]
    assert await admin_wallet(api, acme, shopper, LEDGER) == before


async def test_another_member_cannot_release_my_reservation(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given my reservation, and another member of the same program
    held = await reserve(api, acme, shopper, 400, "cart-1")
    await enroll(api, acme, "c2")
    before = await admin_wallet(api, acme, shopper, LEDGER)
    # when they try to release it
    payload = await release(api, acme.member_token(api, "c2"), held["reservation"]["id"])
    # then it is not found for them, and my points stay held
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("RESERVATION_NOT_FOUND", ["reservationId"])
    ]
    assert await admin_wallet(api, acme, shopper, LEDGER) == before


async def test_another_tenant_cannot_see_or_release_a_reservation(
    api: Api, acme: TenantCreds, globex: TenantCreds, shopper: str
) -> None:
    # given a reservation at acme, and a member of globex with the same customer id
    held = await reserve(api, acme, shopper, 400, "cart-1")
    await enroll(api, globex, shopper)
    before = await admin_wallet(api, acme, shopper, LEDGER)
    # when globex's member or globex's store releases it
    for token in (globex.member_token(api, shopper), globex.events):
        payload = await release(api, token, held["reservation"]["id"])
        # then it is not found there, and nothing changed at acme
        assert [e["code"] for e in payload["userErrors"]] == ["RESERVATION_NOT_FOUND"]
    assert await admin_wallet(api, acme, shopper, LEDGER) == before


async def test_the_store_may_release_a_reservation_with_its_events_key(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    held = await reserve(api, acme, shopper, 400, "cart-1")
    payload = await release(api, acme.events, held["reservation"]["id"])
    assert payload["reservation"]["status"] == "RELEASED"
    assert payload["wallet"] == {"balance": 1000}


async def test_an_unknown_reservation_is_not_found(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    payload = await release(api, acme.member_token(api, shopper), "pr_nope")
    assert [e["code"] for e in payload["userErrors"]] == ["RESERVATION_NOT_FOUND"]


async def test_only_a_member_reserves(api: Api, acme: TenantCreds, shopper: str) -> None:
    body = await api.gql(
        'mutation { reservePoints(input: {points: 100, cartTotal: "10", currency: "SAR",'
        ' idempotencyKey: "k"}) { userErrors { code } } }',
        token=acme.events,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
