"""updateProgram's engagement settings: tier policy, VIP trial offer, RFM segment policy and
referral reward. Each range is checked with its exact code and field; bad input changes
nothing (not even the other, valid settings sent with it)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.tiers_helpers import silver_gold

UPDATE = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
  program { tierPolicy { metric windowMonths graceDays }
            vipTrialOffer { tier { id } days minOrders cooldownDays }
            referralReward { referrerPoints refereePoints } }
  userErrors { code field message } } }
"""

VALID = {
    "tierPolicy": {"metric": "POINTS", "windowMonths": 6, "graceDays": 14},
    "segmentPolicy": {"windowDays": 28, "inactivityDays": 21, "topOrders": 8, "topSpend": "400"},
    "referralReward": {"referrerPoints": 250, "refereePoints": 100},
}


async def update(api: Api, creds: TenantCreds, changes: dict[str, Any]) -> dict[str, Any]:
    body = await api.gql(UPDATE, {"input": changes}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["updateProgram"]
    return payload


async def stored_program(api: Api, creds: TenantCreds) -> Any:
    tenant = await api.deps.tenants.get(creds.slug)
    assert tenant is not None
    return tenant.program


async def test_settings_are_saved_and_read_back(api: Api, acme: TenantCreds) -> None:
    # given
    _, gold = await silver_gold(api, acme)
    # when
    offer = {"tierId": gold, "days": 10, "minOrders": 2, "cooldownDays": 180}
    payload = await update(api, acme, {**VALID, "vipTrialOffer": offer})
    # then
    assert payload["userErrors"] == []
    assert payload["program"] == {
        "tierPolicy": {"metric": "POINTS", "windowMonths": 6, "graceDays": 14},
        "vipTrialOffer": {"tier": {"id": gold}, "days": 10, "minOrders": 2, "cooldownDays": 180},
        "referralReward": {"referrerPoints": 250, "refereePoints": 100},
    }
    program = await stored_program(api, acme)
    assert (program.segments.window_days, program.segments.inactivity_days) == (28, 21)
    assert (program.segments.top_orders, str(program.segments.top_spend)) == (8, "400")
    # when the offer is withdrawn and the window set to all time
    withdrawn = await update(
        api,
        acme,
        {"vipTrialOffer": None, "tierPolicy": {"metric": "ORDERS", "windowMonths": None}},
    )
    # then the rest is kept
    assert withdrawn["program"]["vipTrialOffer"] is None
    assert withdrawn["program"]["tierPolicy"] == {
        "metric": "ORDERS",
        "windowMonths": None,
        "graceDays": 30,
    }
    assert withdrawn["program"]["referralReward"] == VALID["referralReward"]


TIER = {"metric": "SPEND", "windowMonths": 12, "graceDays": 30}
SEGMENT = {"windowDays": 90, "inactivityDays": 60, "topOrders": 5, "topSpend": "1000"}
REFERRAL = {"referrerPoints": 10, "refereePoints": 10}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


@pytest.mark.parametrize(
    ("name", "value", "code", "field"),
    [
        ("tierPolicy", _with(TIER, windowMonths=0), "OUT_OF_RANGE", "windowMonths"),
        ("tierPolicy", _with(TIER, windowMonths=121), "OUT_OF_RANGE", "windowMonths"),
        ("tierPolicy", _with(TIER, graceDays=-1), "OUT_OF_RANGE", "graceDays"),
        ("tierPolicy", _with(TIER, graceDays=366), "OUT_OF_RANGE", "graceDays"),
        ("vipTrialOffer", {"tierId": "t_nope", "days": 7}, "TIER_NOT_FOUND", "tierId"),
        ("vipTrialOffer", {"tierId": "GOLD", "days": 0}, "OUT_OF_RANGE", "days"),
        ("vipTrialOffer", {"tierId": "GOLD", "days": 366}, "OUT_OF_RANGE", "days"),
        (
            "vipTrialOffer",
            {"tierId": "GOLD", "days": 7, "minOrders": -1},
            "OUT_OF_RANGE",
            "minOrders",
        ),
        (
            "vipTrialOffer",
            {"tierId": "GOLD", "days": 7, "minOrders": 1001},
            "OUT_OF_RANGE",
            "minOrders",
        ),
        (
            "vipTrialOffer",
            {"tierId": "GOLD", "days": 7, "cooldownDays": 0},
            "OUT_OF_RANGE",
            "cooldownDays",
        ),
        (
            "vipTrialOffer",
            {"tierId": "GOLD", "days": 7, "cooldownDays": 3651},
            "OUT_OF_RANGE",
            "cooldownDays",
        ),
        ("segmentPolicy", _with(SEGMENT, windowDays=6), "OUT_OF_RANGE", "windowDays"),
        ("segmentPolicy", _with(SEGMENT, windowDays=3651), "OUT_OF_RANGE", "windowDays"),
        ("segmentPolicy", _with(SEGMENT, inactivityDays=0), "OUT_OF_RANGE", "inactivityDays"),
        ("segmentPolicy", _with(SEGMENT, topOrders=1), "OUT_OF_RANGE", "topOrders"),
        ("segmentPolicy", _with(SEGMENT, topOrders=10_001), "OUT_OF_RANGE", "topOrders"),
        ("segmentPolicy", _with(SEGMENT, topSpend="0"), "INVALID_AMOUNT", "topSpend"),
        ("segmentPolicy", _with(SEGMENT, topSpend="-5"), "INVALID_AMOUNT", "topSpend"),
        ("referralReward", _with(REFERRAL, referrerPoints=-1), "OUT_OF_RANGE", "referrerPoints"),
        (
            "referralReward",
            _with(REFERRAL, refereePoints=1_000_001),
            "OUT_OF_RANGE",
            "refereePoints",
        ),
    ],
)
async def test_out_of_range_settings_are_refused_and_change_nothing(
    api: Api, acme: TenantCreds, name: str, value: dict[str, Any], code: str, field: str
) -> None:
    # given gold, and the program as it is
    _, gold = await silver_gold(api, acme)
    if value.get("tierId") == "GOLD":
        value = {**value, "tierId": gold}
    before = await stored_program(api, acme)
    # when the bad setting is sent along with valid ones
    payload = await update(api, acme, {**VALID, name: value})
    # then
    assert payload["program"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        (code, ["input", name, field])
    ]
    assert payload["userErrors"][0]["message"]
    assert await stored_program(api, acme) == before


async def test_another_tenants_tier_cannot_be_offered(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given gold in acme only
    _, gold = await silver_gold(api, acme)
    before = await stored_program(api, globex)
    # when globex offers acme's tier
    payload = await update(api, globex, {"vipTrialOffer": {"tierId": gold, "days": 7}})
    # then
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("TIER_NOT_FOUND", ["input", "vipTrialOffer", "tierId"])
    ]
    assert await stored_program(api, globex) == before
