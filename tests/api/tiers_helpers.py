"""Shared steps for the tier, trial and referral tests."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds

UPSERT_TIER = """
mutation($input: UpsertTierInput!) { upsertTier(input: $input) {
  tier { id name rank threshold earnMultiplier perks } userErrors { code field message } } }
"""

PROGRAM_TIERS = "{ program { tiers { id name rank threshold earnMultiplier perks } } }"

TIER_STATUS = """
{ me { tier { tier { id } isTrial trialEndsAt qualifyingValue nextTier { id }
  remainingToNextTier } segment } }
"""


async def upsert_tier(
    api: Api, creds: TenantCreds, rank: int, threshold: str, multiplier: str = "1", **extra: Any
) -> dict[str, Any]:
    variables = {
        "input": {
            "name": {"ar": f"مستوى {rank}", "en": f"Level {rank}"},
            "rank": rank,
            "threshold": threshold,
            "earnMultiplier": multiplier,
            **extra,
        }
    }
    body = await api.gql(UPSERT_TIER, variables, token=creds.admin)
    payload: dict[str, Any] = body["data"]["upsertTier"]
    return payload


async def silver_gold(api: Api, creds: TenantCreds) -> tuple[str, str]:
    """Silver from 500 spent (x1.5 points), gold from 2000 (x2)."""
    silver = await upsert_tier(api, creds, 1, "500", "1.5")
    gold = await upsert_tier(api, creds, 2, "2000", "2")
    return silver["tier"]["id"], gold["tier"]["id"]


async def order(
    api: Api, creds: TenantCreds, member: str, order_id: str, total: str
) -> dict[str, Any]:
    variables = {
        "input": {
            "memberExternalId": member,
            "orderId": order_id,
            "total": total,
            "currency": "SAR",
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["recordOrder"]
    assert payload["userErrors"] == [], payload
    return payload


async def tier_status(api: Api, creds: TenantCreds, member: str) -> dict[str, Any]:
    body = await api.gql(TIER_STATUS, token=creds.member_token(api, member))
    me: dict[str, Any] = body["data"]["me"]
    return me
