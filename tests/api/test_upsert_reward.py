"""upsertReward: the merchant's reward catalogue, created and edited by id."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds

UPSERT = """
mutation($input: UpsertRewardInput!) {
  upsertReward(input: $input) {
    reward { id name description cost kind value active couponValidDays }
    userErrors { code field message }
  }
}
"""

REWARDS = """
{ rewards { id name description cost kind value minTier { id } active couponValidDays } }
"""

COFFEE: dict[str, Any] = {
    "name": {"ar": "خصم القهوة", "en": "Coffee discount"},
    "description": {"ar": "خصم على القهوة", "en": "Off any coffee"},
    "cost": 500,
    "kind": "PERCENT_DISCOUNT",
    "value": "15",
}


async def upsert(api: Api, creds: TenantCreds, reward: dict[str, Any]) -> dict[str, Any]:
    body = await api.gql(UPSERT, {"input": reward}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["upsertReward"]
    return payload


async def rewards(api: Api, creds: TenantCreds, locale: str = "en") -> list[dict[str, Any]]:
    body = await api.gql(REWARDS, tenant=creds.slug, locale=locale)
    listed: list[dict[str, Any]] = body["data"]["rewards"]
    return listed


async def create(api: Api, creds: TenantCreds, reward: dict[str, Any] = COFFEE) -> str:
    payload = await upsert(api, creds, reward)
    assert payload["userErrors"] == [], payload
    reward_id: str = payload["reward"]["id"]
    return reward_id


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["reward"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def test_created_reward_is_listed_in_both_languages(api: Api, acme: TenantCreds) -> None:
    # given
    # when
    payload = await upsert(api, acme, COFFEE)
    # then
    assert payload["userErrors"] == []
    reward_id = payload["reward"]["id"]
    assert payload["reward"] == {
        "id": reward_id,
        "name": "Coffee discount",
        "description": "Off any coffee",
        "cost": 500,
        "kind": "PERCENT_DISCOUNT",
        "value": "15",
        "active": True,
        "couponValidDays": None,
    }
    common = {
        "id": reward_id,
        "cost": 500,
        "kind": "PERCENT_DISCOUNT",
        "value": "15",
        "minTier": None,
        "active": True,
        "couponValidDays": None,
    }
    assert await rewards(api, acme, "en") == [
        {**common, "name": "Coffee discount", "description": "Off any coffee"}
    ]
    assert await rewards(api, acme, "ar") == [
        {**common, "name": "خصم القهوة", "description": "خصم على القهوة"}
    ]


async def test_update_by_id_changes_the_cost(api: Api, acme: TenantCreds) -> None:
    # given
    reward_id = await create(api, acme)
    # when
    payload = await upsert(api, acme, {**COFFEE, "id": reward_id, "cost": 750})
    # then
    assert payload["userErrors"] == []
    assert (payload["reward"]["id"], payload["reward"]["cost"]) == (reward_id, 750)
    listed = await rewards(api, acme)
    assert [(r["id"], r["cost"], r["name"]) for r in listed] == [
        (reward_id, 750, "Coffee discount")
    ]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"cost": 0}, "OUT_OF_RANGE", ["input", "cost"]),
        ({"name": {}}, "INVALID_INPUT", ["input", "name"]),
        ({"value": None}, "INVALID_AMOUNT", ["input", "value"]),
        ({"value": "150"}, "INVALID_AMOUNT", ["input", "value"]),
        ({"id": "rw_unknown"}, "REWARD_NOT_FOUND", ["input", "id"]),
        ({"minTierId": "gold"}, "TIER_NOT_FOUND", ["input", "minTierId"]),
        ({"couponValidDays": 0}, "OUT_OF_RANGE", ["input", "couponValidDays"]),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, changes: dict[str, Any], code: str, field: list[str]
) -> None:
    # given
    before = await rewards(api, acme)
    assert before == []
    # when
    payload = await upsert(api, acme, {**COFFEE, **changes})
    # then
    assert refused(payload) == (code, field)
    assert await rewards(api, acme) == []


async def test_bad_update_leaves_the_reward_unchanged(api: Api, acme: TenantCreds) -> None:
    # given
    reward_id = await create(api, acme)
    before = await rewards(api, acme)
    # when
    payload = await upsert(api, acme, {**COFFEE, "id": reward_id, "cost": 0})
    # then
    assert refused(payload) == ("OUT_OF_RANGE", ["input", "cost"])
    assert await rewards(api, acme) == before
    assert before[0]["cost"] == 500


async def test_inactive_rewards_are_not_listed(api: Api, acme: TenantCreds) -> None:
    # given
    reward_id = await create(api, acme)
    # when
    payload = await upsert(api, acme, {**COFFEE, "id": reward_id, "active": False})
    # then
    assert payload["userErrors"] == []
    assert payload["reward"]["active"] is False
    assert await rewards(api, acme) == []


async def test_other_tenants_reward_is_invisible_and_not_editable(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    globex_id = await create(api, globex)
    # when
    listed = await rewards(api, acme)
    payload = await upsert(api, acme, {**COFFEE, "id": globex_id, "cost": 1})
    # then
    assert listed == []
    assert refused(payload) == ("REWARD_NOT_FOUND", ["input", "id"])
    assert [(r["id"], r["cost"]) for r in await rewards(api, globex)] == [(globex_id, 500)]
    assert await rewards(api, acme) == []
