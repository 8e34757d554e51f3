"""quoteOrder: what a cart earns and the most points it accepts, for the app or the store."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.checkout_helpers import QUOTE, order, reserve, set_checkout
from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.tiers_helpers import order as tier_order
from tests.api.tiers_helpers import silver_gold

RULES = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) { userErrors { code } } }
"""


def _cart(total: str, **extra: Any) -> dict[str, Any]:
    return {"input": {"total": total, "currency": "SAR", **extra}}


@pytest.fixture
async def shopper(api: Api, acme: TenantCreds) -> str:
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 1234, "seed")
    return "c1"


async def test_the_app_sees_what_the_cart_earns_and_the_most_it_can_use(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given a program: 100-point steps, at most half the cart
    await set_checkout(api, acme, minPoints=100, step=100, maxCartPercent=50, holdMinutes=30)
    # when the member asks about a 20 SAR cart
    body = await api.gql(QUOTE, _cart("20.00"), token=acme.member_token(api, shopper))
    # then it earns 20 points; half the cart (10 SAR) is 1,000 points, a multiple of 100
    assert body["data"]["quoteOrder"] == {
        "pointsToEarn": 20,
        "maxRedeemablePoints": 1000,
        "maxDiscount": "10.00",
        "currency": "SAR",
        "campaigns": [],
    }
    # and on a large cart the balance is the limit, rounded down to the step
    body = await api.gql(QUOTE, _cart("900.00"), token=acme.member_token(api, shopper))
    assert body["data"]["quoteOrder"]["maxRedeemablePoints"] == 1200
    assert body["data"]["quoteOrder"]["maxDiscount"] == "12.00"


async def test_the_quote_uses_the_same_earning_as_the_order(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given a category earning triple points
    rule = {"kind": "CATEGORY", "category": "perfume", "multiplier": "3", "active": True}
    body = await api.gql(RULES, {"input": {"earningRules": [rule]}}, token=acme.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []
    items = [
        {"sku": "p1", "category": "perfume", "quantity": 2, "unitPrice": "30.00"},
        {"sku": "s1", "quantity": 1, "unitPrice": "40.00"},
    ]
    # when the store quotes the cart, then records the same order
    quote = await api.gql(
        QUOTE, _cart("100.00", items=items, memberExternalId=shopper), token=acme.events
    )
    recorded = await api.gql(
        """mutation($input: RecordOrderInput!) { recordOrder(input: $input) {
             pointsEarned userErrors { code } } }""",
        {
            "input": {
                "memberExternalId": shopper,
                "orderId": "o-1",
                "total": "100.00",
                "currency": "SAR",
                "items": items,
            }
        },
        token=acme.events,
    )
    # then both say 220 points (60 x 3 + 40)
    assert quote["data"]["quoteOrder"]["pointsToEarn"] == 220
    assert recorded["data"]["recordOrder"] == {"pointsEarned": 220, "userErrors": []}


async def test_held_points_are_not_offered_again(api: Api, acme: TenantCreds, shopper: str) -> None:
    await reserve(api, acme, shopper, 1000, "cart-1", cart="900.00")
    body = await api.gql(QUOTE, _cart("900.00"), token=acme.member_token(api, shopper))
    assert body["data"]["quoteOrder"]["maxRedeemablePoints"] == 234


async def test_a_guest_is_quoted_at_the_base_tier_with_nothing_to_use(
    api: Api, acme: TenantCreds
) -> None:
    body = await api.gql(QUOTE, _cart("35.50"), token=acme.events)
    assert body["data"]["quoteOrder"]["pointsToEarn"] == 35
    assert body["data"]["quoteOrder"]["maxRedeemablePoints"] == 0
    assert body["data"]["quoteOrder"]["maxDiscount"] == "0.00"


async def test_below_the_minimum_nothing_is_usable(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    await set_checkout(api, acme, minPoints=5000, step=1, maxCartPercent=100, holdMinutes=30)
    body = await api.gql(QUOTE, _cart("900.00"), token=acme.member_token(api, shopper))
    assert body["data"]["quoteOrder"]["maxRedeemablePoints"] == 0


async def test_a_member_quotes_only_for_themselves(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    await enroll(api, acme, "c2")
    body = await api.gql(
        QUOTE, _cart("10.00", memberExternalId="c2"), token=acme.member_token(api, shopper)
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_another_tenants_member_is_a_guest_here(
    api: Api, acme: TenantCreds, globex: TenantCreds, shopper: str
) -> None:
    # given c1 has points at acme only
    body = await api.gql(QUOTE, _cart("900.00", memberExternalId=shopper), token=globex.events)
    assert body["data"]["quoteOrder"]["maxRedeemablePoints"] == 0


async def test_bad_input_is_a_coded_error(api: Api, acme: TenantCreds, shopper: str) -> None:
    body = await api.gql(
        QUOTE,
        {"input": {"total": "10.00", "currency": "USD"}},
        token=acme.member_token(api, shopper),
    )
    assert body["errors"][0]["extensions"]["code"] == "CURRENCY_MISMATCH"
    assert body["errors"][0]["extensions"]["field"] == ["input", "currency"]


async def test_admin_keys_and_anonymous_callers_are_refused(api: Api, acme: TenantCreds) -> None:
    admin_only = await api.gql(QUOTE, _cart("10.00"), token=acme.admin)
    anonymous = await api.gql(QUOTE, _cart("10.00"), tenant=acme.slug)
    assert admin_only["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_order_without_a_reservation_still_records(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    payload = await order(api, acme, shopper, "o-9", "10.00", None)
    assert payload["userErrors"] == [] and payload["pointsEarned"] == 10


QUOTE_CAMPAIGNS = """
query($input: QuoteOrderInput!) {
  quoteOrder(input: $input) { pointsToEarn campaigns { id name multiplier bonusPoints } }
}
"""
UPSERT_CAMPAIGN = """
mutation($input: EarnCampaignInput!) { upsertEarnCampaign(input: $input) {
  campaign { id } userErrors { code } } }
"""


async def _campaign(api: Api, creds: TenantCreds, **fields: Any) -> str:
    body = await api.gql(UPSERT_CAMPAIGN, {"input": fields}, token=creds.admin)
    payload = body["data"]["upsertEarnCampaign"]
    assert payload["userErrors"] == []
    campaign_id: str = payload["campaign"]["id"]
    return campaign_id


async def test_the_quote_counts_running_campaigns_as_the_order_will(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given x2 with 10 bonus on everything, and x3 with 5 bonus on perfume only, both running
    # now (15 January 2026), and one that starts next month
    double = await _campaign(
        api,
        acme,
        name={"ar": "نقاط مضاعفة", "en": "Double points"},
        startsAt="2026-01-01T00:00:00Z",
        endsAt="2026-02-01T00:00:00Z",
        multiplier="2",
        bonusPoints=10,
    )
    perfume = await _campaign(
        api,
        acme,
        name={"en": "Perfume week"},
        startsAt="2026-01-10T00:00:00Z",
        endsAt="2026-01-20T00:00:00Z",
        multiplier="3",
        bonusPoints=5,
        categories=["perfume"],
    )
    await _campaign(
        api,
        acme,
        name={"en": "Later"},
        startsAt="2026-02-01T00:00:00Z",
        endsAt="2026-02-10T00:00:00Z",
        multiplier="5",
    )
    items = [
        {"sku": "p1", "category": "perfume", "quantity": 2, "unitPrice": "30.00"},
        {"sku": "s1", "quantity": 1, "unitPrice": "40.00"},
    ]
    # when the app quotes the cart in English, then the store records the same order
    quote = await api.gql(
        QUOTE_CAMPAIGNS,
        _cart("100.00", items=items),
        token=acme.member_token(api, shopper),
        locale="en",
    )
    recorded = await order(api, acme, shopper, "o-1", "100.00", None, items=items)
    # then perfume earns 60 x 3, the rest 40 x 2, plus 10 + 5 in bonuses: 275, both times
    assert quote["data"]["quoteOrder"] == {
        "pointsToEarn": 275,
        "campaigns": [
            {"id": double, "name": "Double points", "multiplier": "2", "bonusPoints": 10},
            {"id": perfume, "name": "Perfume week", "multiplier": "3", "bonusPoints": 5},
        ],
    }
    assert recorded["pointsEarned"] == 275


async def test_a_campaign_for_another_tier_or_tenant_does_not_raise_the_quote(
    api: Api, acme: TenantCreds, globex: TenantCreds, shopper: str
) -> None:
    # given a campaign for CHAMPION members at acme, and one for everyone at globex
    await _campaign(
        api,
        acme,
        name={"en": "Champions"},
        startsAt="2026-01-01T00:00:00Z",
        endsAt="2026-02-01T00:00:00Z",
        multiplier="4",
        segment="CHAMPION",
    )
    await _campaign(
        api,
        globex,
        name={"en": "Globex double"},
        startsAt="2026-01-01T00:00:00Z",
        endsAt="2026-02-01T00:00:00Z",
        multiplier="2",
    )
    # when a NEW member at acme and a guest at acme are quoted
    member = await api.gql(QUOTE_CAMPAIGNS, _cart("50.00"), token=acme.member_token(api, shopper))
    guest = await api.gql(QUOTE_CAMPAIGNS, _cart("50.00"), token=acme.events)
    # then neither campaign applies
    assert member["data"]["quoteOrder"] == {"pointsToEarn": 50, "campaigns": []}
    assert guest["data"]["quoteOrder"] == {"pointsToEarn": 50, "campaigns": []}


async def test_the_quote_applies_the_members_tier_multiplier(
    api: Api, acme: TenantCreds, shopper: str
) -> None:
    # given silver from 500 (x1.5), reached by a 600 order, and a campaign doubling everything
    await silver_gold(api, acme)
    await tier_order(api, acme, shopper, "o-600", "600")
    await _campaign(
        api,
        acme,
        name={"en": "Double"},
        startsAt="2026-01-01T00:00:00Z",
        endsAt="2026-02-01T00:00:00Z",
        multiplier="2",
    )
    # when the silver member and a guest quote a 100 SAR cart
    member = await api.gql(QUOTE_CAMPAIGNS, _cart("100.00"), token=acme.member_token(api, shopper))
    guest = await api.gql(QUOTE_CAMPAIGNS, _cart("100.00"), token=acme.events)
    # then the member earns 100 x 1.5 x 2 and the guest, at the base tier, 100 x 2
    assert member["data"]["quoteOrder"]["pointsToEarn"] == 300
    assert guest["data"]["quoteOrder"]["pointsToEarn"] == 200
