"""Tier keep thresholds (upsertTier keepThreshold) and the calendar-year reset
(updateProgram tierPolicy.reset), through the API and the scheduled tier review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from api.scheduler import Scheduler
from mongo.client import Database
from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.global_ids import tier
from tests.api.tiers_helpers import order, tier_status, upsert_tier

TIERS = "{ program { tiers { id threshold keepThreshold } tierPolicy { windowMonths reset } } }"
POLICY = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
  program { tierPolicy { metric windowMonths graceDays reset } }
  userErrors { code field message } } }
"""


async def program_tiers(api: Api, creds: TenantCreds) -> dict[str, Any]:
    body = await api.gql(TIERS, tenant=creds.slug)
    program: dict[str, Any] = body["data"]["program"]
    return program


async def test_a_tier_states_its_keep_threshold(api: Api, acme: TenantCreds) -> None:
    # given silver without a keep threshold and gold kept at 1,500
    silver = await upsert_tier(api, acme, 1, "500")
    gold = await upsert_tier(api, acme, 2, "2000", keepThreshold="1500")
    # then
    assert silver["userErrors"] == [] and gold["userErrors"] == []
    assert (await program_tiers(api, acme))["tiers"] == [
        {"id": silver["tier"]["id"], "threshold": 500.0, "keepThreshold": 500.0},
        {"id": gold["tier"]["id"], "threshold": 2000.0, "keepThreshold": 1500.0},
    ]


@pytest.mark.parametrize(
    ("keep", "code"),
    [("2000.01", "TIER_KEEP_ABOVE_ENTRY"), ("0", "INVALID_AMOUNT"), ("-5", "INVALID_AMOUNT")],
)
async def test_a_bad_keep_threshold_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, keep: str, code: str
) -> None:
    # given gold kept at 1,500
    gold = await upsert_tier(api, acme, 2, "2000", keepThreshold="1500")
    before = await program_tiers(api, acme)
    # when the merchant sets a keep threshold above entry, or not positive
    payload = await upsert_tier(api, acme, 2, "2000", id=gold["tier"]["id"], keepThreshold=keep)
    # then the refusal names its code and field, and the tier is unchanged
    assert payload["tier"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        (code, ["input", "keepThreshold"])
    ]
    assert await program_tiers(api, acme) == before


async def test_the_refusal_is_worded_in_arabic_and_english(api: Api, acme: TenantCreds) -> None:
    variables = {
        "input": {
            "name": {"en": "Gold"},
            "rank": 1,
            "threshold": "100",
            "earnMultiplier": "1",
            "keepThreshold": "200",
        }
    }
    mutation = """mutation($input: UpsertTierInput!) {
      upsertTier(input: $input) { userErrors { message } } }"""
    english = await api.gql(mutation, variables, token=acme.admin, locale="en")
    arabic = await api.gql(mutation, variables, token=acme.admin, locale="ar")
    assert english["data"]["upsertTier"]["userErrors"][0]["message"] == (
        "The threshold to keep a tier cannot be above the threshold to enter it."
    )
    assert arabic["data"]["upsertTier"]["userErrors"][0]["message"] == (
        "حدّ البقاء في المستوى لا يتجاوز حدّ دخوله."
    )


async def test_a_member_above_the_keep_threshold_keeps_the_tier_at_review(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database
) -> None:
    # given silver entered at 500 and kept at 300, at acme; the same tier without a keep
    # threshold at globex; one member at each who spent 600, then 350 more a year later
    silver = await upsert_tier(api, acme, 1, "500", keepThreshold="300")
    plain = await upsert_tier(api, globex, 1, "500")
    for creds in (acme, globex):
        await enroll(api, creds, "c1")
        await order(api, creds, "c1", "o1", "600")
    api.clock.advance(timedelta(days=300))
    for creds in (acme, globex):
        await order(api, creds, "c1", "o2", "350")
    # when the first order leaves the 12-month window and the grace period has passed
    scheduler = Scheduler(database, api.deps, interval=60)
    api.clock.advance(timedelta(days=70))
    await scheduler.tick()
    api.clock.advance(timedelta(days=31))
    await scheduler.tick()
    # then the acme member keeps silver on 350, the globex member is back at the base tier
    acme_status = await tier_status(api, acme, "c1")
    globex_status = await tier_status(api, globex, "c1")
    assert acme_status["tier"]["tier"] == {"id": silver["tier"]["id"]}
    assert globex_status["tier"]["tier"] == {"id": tier("globex", "base")}
    assert plain["tier"]["id"] != silver["tier"]["id"]


async def test_a_calendar_year_reset_is_set_and_read(api: Api, acme: TenantCreds) -> None:
    # when the merchant resets tiers on the calendar year
    body = await api.gql(
        POLICY,
        {"input": {"tierPolicy": {"metric": "SPEND", "reset": "CALENDAR_YEAR", "graceDays": 0}}},
        token=acme.admin,
    )
    # then the program says so
    assert body["data"]["updateProgram"] == {
        "program": {
            "tierPolicy": {
                "metric": "SPEND",
                "windowMonths": None,
                "graceDays": 0,
                "reset": "CALENDAR_YEAR",
            }
        },
        "userErrors": [],
    }


async def test_a_calendar_year_reset_with_a_window_is_refused(api: Api, acme: TenantCreds) -> None:
    # when the merchant asks for both a rolling window and a calendar-year reset
    body = await api.gql(
        POLICY,
        {"input": {"tierPolicy": {"metric": "SPEND", "reset": "CALENDAR_YEAR", "windowMonths": 6}}},
        token=acme.admin,
    )
    # then it is refused, naming the window, and the policy stays rolling 12 months
    payload = body["data"]["updateProgram"]
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("INVALID_INPUT", ["input", "tierPolicy", "windowMonths"])
    ]
    assert (await program_tiers(api, acme))["tierPolicy"] == {
        "windowMonths": 12,
        "reset": "ROLLING",
    }


async def test_after_1_january_only_this_years_orders_count(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a calendar-year reset without grace, and silver from 500
    await api.gql(
        POLICY,
        {"input": {"tierPolicy": {"metric": "SPEND", "reset": "CALENDAR_YEAR", "graceDays": 0}}},
        token=acme.admin,
    )
    silver = await upsert_tier(api, acme, 1, "500")
    await enroll(api, acme, "c1")
    # when a member spends 600 in December 2026
    api.clock.set(datetime(2026, 12, 20, 12, tzinfo=UTC))
    await order(api, acme, "c1", "o1", "600")
    assert (await tier_status(api, acme, "c1"))["tier"]["tier"] == {"id": silver["tier"]["id"]}
    # and the review runs on 31 December, then on 1 January
    scheduler = Scheduler(database, api.deps, interval=60)
    api.clock.set(datetime(2026, 12, 31, 12, tzinfo=UTC))
    await scheduler.tick()
    december = await tier_status(api, acme, "c1")
    api.clock.set(datetime(2027, 1, 1, 12, tzinfo=UTC))
    await scheduler.tick()
    january = await tier_status(api, acme, "c1")
    # then silver holds through December and resets on 1 January
    assert december["tier"]["tier"] == {"id": silver["tier"]["id"]}
    assert january["tier"]["tier"] == {"id": tier("acme", "base")}
    assert january["tier"]["qualifyingValue"] == 0.0
