"""createCampaign: scheduled pushes to a segment, a tier or everyone, once per member."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from loyalty.ports import Deps
from loyalty.program import BASE_TIER, LocalizedText, Tier
from mongo.client import Database
from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.push_helpers import log, register, scheduler

CREATE = """
mutation($input: CreateCampaignInput!) { createCampaign(input: $input) {
  campaign { id name segment tierId sendAt status } userErrors { code field message } } }
"""
TEXT = {"title": {"ar": "عرض", "en": "Offer"}, "body": {"ar": "خصم اليوم", "en": "Sale today"}}


async def create(api: Api, creds: TenantCreds, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"name": "Eid", **TEXT, **fields}}
    body = await api.gql(CREATE, variables, token=creds.admin)
    payload: dict[str, Any] = body["data"]["createCampaign"]
    return payload


async def test_a_campaign_is_sent_once_to_its_segment_at_send_at(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given three members, two of them CHAMPIONs (segment written by the engagement job)
    for member in ("c1", "c2", "c3"):
        await register(api, acme, member, f"tok-{member}")
    await database.db["members"].update_many(
        {"tenant": "acme", "external_id": {"$in": ["c1", "c2"]}}, {"$set": {"segment": "CHAMPION"}}
    )
    send_at = (api.clock.now() + timedelta(hours=2)).isoformat()
    payload = await create(api, acme, segment="CHAMPION", sendAt=send_at)
    assert payload["userErrors"] == []
    assert payload["campaign"]["status"] == "SCHEDULED"
    worker, sender = scheduler(database, deps)
    # when the scheduler ticks before and after sendAt, twice
    await worker.tick()
    assert sender.sent == []
    api.clock.advance(timedelta(hours=2))
    await worker.tick()
    await scheduler(database, deps)[0].tick()
    # then each CHAMPION got it once, in their language
    assert sorted(m.token for m in sender.sent) == ["tok-c1", "tok-c2"]
    assert {(m.title, m.body) for m in sender.sent} == {("Offer", "Sale today")}
    assert [r["memberExternalId"] for r in await log(api, acme, "c3")] == []


async def test_a_tier_campaign_targets_the_tier(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    tenant = await deps.tenants.get("acme")
    assert tenant is not None
    gold = Tier("gold", LocalizedText(en="Gold"), 2, Decimal(1000), Decimal(2))
    await deps.tenants.save_program("acme", replace(tenant.program, tiers=(BASE_TIER, gold)))
    for member in ("c1", "c2"):
        await register(api, acme, member, f"tok-{member}")
    await database.db["members"].update_one(
        {"tenant": "acme", "external_id": "c2"}, {"$set": {"tier_status": {"tier_id": "gold"}}}
    )
    assert (await create(api, acme, tierId="gold"))["userErrors"] == []
    worker, sender = scheduler(database, deps)
    await worker.tick()
    assert [m.token for m in sender.sent] == ["tok-c2"]


async def test_the_daily_marketing_cap_skips_the_rest(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given three campaigns to everyone today (cap 2)
    await register(api, acme, "c1", "tok-c1")
    for name in ("a", "b", "c"):
        assert (await create(api, acme, name=name))["userErrors"] == []
    worker, sender = scheduler(database, deps)
    # when
    await worker.tick()
    # then two are sent, the third skipped
    assert len(sender.sent) == 2
    assert sorted((r["status"], r["reason"]) for r in await log(api, acme)) == [
        ("SENT", None),
        ("SENT", None),
        ("SKIPPED", "DAILY_CAP"),
    ]


async def test_creating_it_again_returns_the_first(api: Api, acme: TenantCreds) -> None:
    first = await create(api, acme)
    again = await create(api, acme)
    assert again == first
    conflict = await create(api, acme, title={"en": "Other"})
    assert conflict["campaign"] is None
    assert [(e["code"], e["field"]) for e in conflict["userErrors"]] == [
        ("ALREADY_EXISTS", ["input", "name"])
    ]


async def test_bad_input_is_refused_and_nothing_is_scheduled(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await enroll(api, acme, "c1")
    far = (api.clock.now() + timedelta(days=400)).isoformat()
    for fields, code, field in [
        ({"name": " "}, "INVALID_INPUT", ["input", "name"]),
        ({"tierId": "nope"}, "TIER_NOT_FOUND", ["input", "tierId"]),
        ({"tierId": "base", "segment": "LOYAL"}, "INVALID_AUDIENCE", ["input", "tierId"]),
        ({"title": {"ar": " ", "en": None}}, "INVALID_INPUT", ["input", "title"]),
        ({"body": {"en": "x" * 501}}, "TOO_LONG", ["input", "body", "en"]),
        ({"sendAt": far}, "OUT_OF_RANGE", ["input", "sendAt"]),
    ]:
        payload = await create(api, acme, **fields)
        assert payload["campaign"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await deps.campaigns.due("acme", api.clock.now() + timedelta(days=500), 10) == []


async def test_only_the_admin_key_may_create_and_tenants_are_isolated(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database, deps: Deps
) -> None:
    body = await api.gql(CREATE, {"input": {"name": "x", **TEXT}}, token=acme.events)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.gql(
        CREATE, {"input": {"name": "x", **TEXT}}, token=acme.member_token(api, "c1")
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # a globex campaign never reaches acme's members
    await register(api, acme, "c1", "tok-acme")
    assert (await create(api, globex))["userErrors"] == []
    worker, sender = scheduler(database, deps)
    await worker.tick()
    assert sender.sent == []
