"""recordActivity: points for reviews, birthdays and the like, under the program's caps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.api.conftest import Api, TenantCreds, admin_wallet, enroll
from tests.store.ttl_helpers import expires_at

UPDATE_PROGRAM = """
mutation($input: UpdateProgramInput!) {
  updateProgram(input: $input) { program { earnRate } userErrors { code field message } }
}
"""

RECORD_ACTIVITY = """
mutation($input: RecordActivityInput!) {
  recordActivity(input: $input) {
    pointsEarned
    member { externalId wallet { balance pendingBalance lifetimeEarned } }
    userErrors { code field message }
  }
}
"""

RULES = [
    {"kind": "ACTIVITY", "activity": "PRODUCT_REVIEW", "points": 25},
    {"kind": "ACTIVITY", "activity": "BIRTHDAY", "points": 200, "limit": 1, "period": "YEAR"},
]


async def configure(api: Api, creds: TenantCreds) -> None:
    body = await api.gql(UPDATE_PROGRAM, {"input": {"earningRules": RULES}}, token=creds.admin)
    assert body["data"]["updateProgram"]["userErrors"] == [], body


async def state(
    api: Api, creds: TenantCreds, member: str = "c1"
) -> tuple[int, int, int, list[Any]]:
    return await admin_wallet(api, creds, member, "type points")


async def activity(
    api: Api, creds: TenantCreds, kind: str, key: str, member: str = "c1"
) -> dict[str, Any]:
    variables = {"input": {"memberExternalId": member, "activity": kind, "key": key}}
    body = await api.gql(RECORD_ACTIVITY, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["recordActivity"]
    return payload


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["pointsEarned"] is None
    assert payload["member"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def test_review_earns_the_rules_points(api: Api, acme: TenantCreds) -> None:
    # given
    await configure(api, acme)
    await enroll(api, acme, "c1")
    # when
    payload = await activity(api, acme, "PRODUCT_REVIEW", "sku-1")
    # then
    assert payload == {
        "pointsEarned": 25,
        "userErrors": [],
        "member": {
            "externalId": "c1",
            "wallet": {"balance": 25, "pendingBalance": 0, "lifetimeEarned": 25},
        },
    }
    assert await state(api, acme) == (25, 0, 25, [{"type": "EARN", "points": 25}])


async def test_same_review_key_again_is_a_replay(api: Api, acme: TenantCreds) -> None:
    # given
    await configure(api, acme)
    await enroll(api, acme, "c1")
    await activity(api, acme, "PRODUCT_REVIEW", "sku-1")
    # when
    payload = await activity(api, acme, "PRODUCT_REVIEW", "sku-1")
    # then
    assert payload["userErrors"] == []
    assert payload["pointsEarned"] == 25
    assert payload["member"]["wallet"]["balance"] == 25
    assert await state(api, acme) == (25, 0, 25, [{"type": "EARN", "points": 25}])


async def test_review_of_another_product_earns_again(api: Api, acme: TenantCreds) -> None:
    # given
    await configure(api, acme)
    await enroll(api, acme, "c1")
    await activity(api, acme, "PRODUCT_REVIEW", "sku-1")
    # when
    payload = await activity(api, acme, "PRODUCT_REVIEW", "sku-2")
    # then
    assert payload["userErrors"] == []
    assert payload["pointsEarned"] == 25
    assert payload["member"]["wallet"]["balance"] == 50
    balance, pending, lifetime, nodes = await state(api, acme)
    assert (balance, pending, lifetime) == (50, 0, 50)
    assert nodes == [{"type": "EARN", "points": 25}] * 2


async def test_birthday_twice_in_a_year_hits_the_limit(api: Api, acme: TenantCreds) -> None:
    # given
    await configure(api, acme)
    await enroll(api, acme, "c1")
    first = await activity(api, acme, "BIRTHDAY", "bday-a")
    assert (first["pointsEarned"], first["userErrors"]) == (200, [])
    before = await state(api, acme)
    # when
    payload = await activity(api, acme, "BIRTHDAY", "bday-b")
    # then
    assert refused(payload) == ("ACTIVITY_LIMIT_REACHED", ["input", "activity"])
    assert await state(api, acme) == before == (200, 0, 200, [{"type": "EARN", "points": 200}])


async def test_activity_without_a_rule_earns_nothing(api: Api, acme: TenantCreds) -> None:
    # given
    await configure(api, acme)
    await enroll(api, acme, "c1")
    # when
    payload = await activity(api, acme, "SOCIAL_FOLLOW", "instagram")
    # then
    assert payload["userErrors"] == []
    assert payload["pointsEarned"] == 0
    assert payload["member"]["wallet"] == {"balance": 0, "pendingBalance": 0, "lifetimeEarned": 0}
    assert await state(api, acme) == (0, 0, 0, [])


async def test_unknown_member_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await configure(api, acme)
    await enroll(api, acme, "c1")
    # when
    payload = await activity(api, acme, "PRODUCT_REVIEW", "sku-1", member="ghost")
    # then
    assert refused(payload) == ("MEMBER_NOT_FOUND", ["input", "memberExternalId"])
    assert await state(api, acme) == (0, 0, 0, [])


async def test_a_capped_activitys_counter_is_kept_31_days_past_its_period(
    api: Api, acme: TenantCreds
) -> None:
    # given a yearly birthday cap in a UTC program, on 15 January 2026
    await configure(api, acme)
    await enroll(api, acme, "c1")
    # when
    payload = await activity(api, acme, "BIRTHDAY", "bday-a")
    # then its counter expires 31 days after the year ends
    assert payload["userErrors"] == []
    (counter,) = await api.database.db["activity_caps"].find({"tenant": "acme"}).to_list(None)
    assert await expires_at(api.database.db, "activity_caps", counter["_id"]) == datetime(
        2027, 2, 1, tzinfo=UTC
    )
