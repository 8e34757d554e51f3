"""upsertTier: tiers climb by rank and threshold together; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.tiers_helpers import PROGRAM_TIERS, UPSERT_TIER, silver_gold, upsert_tier


async def tiers(api: Api, creds: TenantCreds, locale: str = "en") -> list[dict[str, Any]]:
    body = await api.gql(PROGRAM_TIERS, tenant=creds.slug, locale=locale)
    result: list[dict[str, Any]] = body["data"]["program"]["tiers"]
    return result


async def test_creates_tiers_listed_by_rank_in_the_request_language(
    api: Api, acme: TenantCreds
) -> None:
    # given / when
    gold = await upsert_tier(
        api, acme, 2, "2000", "2", perks=[{"ar": "شحن مجاني", "en": "Free shipping"}]
    )
    silver = await upsert_tier(api, acme, 1, "500", "1.5")
    # then
    assert gold["userErrors"] == [] and silver["userErrors"] == []
    listed = await tiers(api, acme, "ar")
    assert [(t["rank"], t["name"], t["threshold"], t["earnMultiplier"]) for t in listed] == [
        (1, "مستوى 1", 500.0, 1.5),
        (2, "مستوى 2", 2000.0, 2.0),
    ]
    assert listed[1]["perks"] == ["شحن مجاني"]


async def test_updating_by_id_replaces_the_tier(api: Api, acme: TenantCreds) -> None:
    # given
    silver, _ = await silver_gold(api, acme)
    # when
    payload = await upsert_tier(api, acme, 1, "800", "1.25", id=silver)
    # then
    assert payload["tier"]["id"] == silver and payload["userErrors"] == []
    listed = [(t["id"], t["threshold"]) for t in await tiers(api, acme)]
    assert len(listed) == 2 and listed[0] == (silver, 800.0)


@pytest.mark.parametrize(
    ("rank", "threshold", "multiplier", "extra", "code", "field"),
    [
        (3, "1500", "1", {}, "TIER_THRESHOLD_OVERLAP", ["input", "threshold"]),
        (1, "300", "1", {}, "TIER_RANK_TAKEN", ["input", "rank"]),
        (3, "5000", "1", {"id": "nope"}, "TIER_NOT_FOUND", ["input", "id"]),
        (0, "5000", "1", {}, "OUT_OF_RANGE", ["input", "rank"]),
        (3, "-1", "1", {}, "INVALID_AMOUNT", ["input", "threshold"]),
        (3, "5000", "11", {}, "OUT_OF_RANGE", ["input", "earnMultiplier"]),
        (3, "5000", "1", {"name": {"ar": None, "en": None}}, "INVALID_INPUT", ["input", "name"]),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    api: Api,
    acme: TenantCreds,
    rank: int,
    threshold: str,
    multiplier: str,
    extra: dict[str, Any],
    code: str,
    field: list[str],
) -> None:
    # given silver (500) and gold (2000)
    await silver_gold(api, acme)
    before = await tiers(api, acme)
    # when
    payload = await upsert_tier(api, acme, rank, threshold, multiplier, **extra)
    # then
    assert payload["tier"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert payload["userErrors"][0]["message"]
    assert await tiers(api, acme) == before


async def test_only_the_admin_scope_may_upsert(api: Api, acme: TenantCreds) -> None:
    # given
    variables = {"input": {"name": {"en": "X"}, "rank": 1, "threshold": "1", "earnMultiplier": "1"}}
    # when
    as_events = await api.gql(UPSERT_TIER, variables, token=acme.events)
    as_member = await api.gql(UPSERT_TIER, variables, token=acme.member_token(api, "c1"))
    anonymous = await api.gql(UPSERT_TIER, variables, tenant=acme.slug)
    # then
    assert as_events["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert as_member["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await tiers(api, acme) == []


async def test_another_tenants_tier_id_is_unknown_here(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given a tier in globex
    theirs, _ = await silver_gold(api, globex)
    # when acme's admin targets it
    payload = await upsert_tier(api, acme, 1, "100", "1", id=theirs)
    # then
    assert [e["code"] for e in payload["userErrors"]] == ["TIER_NOT_FOUND"]
    assert await tiers(api, acme) == []
    assert len(await tiers(api, globex)) == 2
