"""campaign(id): how far a campaign has got, counted from its pushes while it runs: queued,
pending, sent, skipped and failed with their reasons, the pace and an estimated finish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from loyalty.ports import Deps
from mongo.client import Database
from notifications.campaigns import run_due_campaigns
from notifications.recording import RecordingSender
from tests.api.conftest import Api, TenantCreds
from tests.api.push_helpers import register, set_prefs

CREATE = """
mutation($input: CreateCampaignInput!) { createCampaign(input: $input) {
  campaign { id progress { sent } } userErrors { code } } }
"""
PROGRESS = """
query($id: ID!) { campaign(id: $id) { name status queued audienceSize progress {
  queued pending sent skipped skippedReasons { reason count } failed
  failedReasons { reason count } perSecond estimatedFinishAt } } }
"""
TEXT = {"title": {"en": "Offer"}, "body": {"en": "Sale today"}}


async def create(api: Api, creds: TenantCreds) -> str:
    body = await api.gql(CREATE, {"input": {"name": "Eid", **TEXT}}, token=creds.admin)
    payload = body["data"]["createCampaign"]
    assert payload["userErrors"] == [], payload
    # no progress in the mutation's answer: only campaign(id) counts the rows
    assert payload["campaign"]["progress"] is None
    return str(payload["campaign"]["id"])


async def read(api: Api, creds: TenantCreds, campaign_id: str) -> Any:
    body = await api.gql(PROGRESS, {"id": campaign_id}, token=creds.admin)
    assert "errors" not in body, body
    return body["data"]["campaign"]


async def test_counts_by_outcome_move_while_the_campaign_runs(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given five members: c2 opted out of marketing, c3 has no device
    for member in ("c1", "c2", "c3", "c4", "c5"):
        await register(api, acme, member, f"tok-{member}")
    await set_prefs(api, acme, "c2", optedOut=["MARKETING"])
    c3 = await deps.members.get_by_external_id("acme", "c3")
    assert c3 is not None
    await database.db["devices"].delete_many({"member_id": c3.id})
    campaign_id = await create(api, acme)
    tenant = await deps.tenants.get("acme")
    assert tenant is not None
    sender = RecordingSender()
    # when the worker has sent its first page of two members
    await run_due_campaigns(deps, tenant, 1, page=2, sender=sender)
    # then the merchant sees that page's outcome, and the rest still to come
    assert await read(api, acme, campaign_id) == {
        "name": "Eid",
        "status": "SENDING",
        "queued": 2,
        "audienceSize": 5,
        "progress": {
            "queued": 2,
            "pending": 0,
            "sent": 1,
            "skipped": 1,
            "skippedReasons": [{"reason": "OPTED_OUT", "count": 1}],
            "failed": 0,
            "failedReasons": [],
            "perSecond": None,
            "estimatedFinishAt": None,
        },
    }
    # when the worker finishes the campaign
    await run_due_campaigns(deps, tenant, page=2, sender=sender)
    # then every member is accounted for, and the finish is when the last push was decided
    done = await read(api, acme, campaign_id)
    assert done["status"] == "DONE"
    assert done["progress"] == {
        "queued": 5,
        "pending": 0,
        "sent": 3,
        "skipped": 2,
        "skippedReasons": [
            {"reason": "NO_DEVICE", "count": 1},
            {"reason": "OPTED_OUT", "count": 1},
        ],
        "failed": 0,
        "failedReasons": [],
        "perSecond": None,
        "estimatedFinishAt": api.clock.now().isoformat(),
    }
    assert sorted(m.token for m in sender.sent) == ["tok-c1", "tok-c4", "tok-c5"]


async def test_a_long_campaign_shows_its_pace_and_an_estimated_finish(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    # given thirty members with a device, sent ten at a time, ten seconds apart
    for number in range(30):
        await register(api, acme, f"c{number}", f"tok-{number}")
    campaign_id = await create(api, acme)
    tenant = await deps.tenants.get("acme")
    assert tenant is not None
    started = api.clock.now()
    await run_due_campaigns(deps, tenant, 1, page=10, sender=RecordingSender())
    api.clock.advance(timedelta(seconds=10))
    await run_due_campaigns(deps, tenant, 1, page=10, sender=RecordingSender())
    # when the merchant looks after 20 of 30 in 10 seconds
    progress = (await read(api, acme, campaign_id))["progress"]
    # then the pace is 2 per second and the last 10 should be done 5 seconds from now
    assert (progress["sent"], progress["perSecond"]) == (20, 2.0)
    assert progress["estimatedFinishAt"] == (started + timedelta(seconds=15)).isoformat()


async def test_another_tenants_campaign_is_not_found(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given acme's campaign
    campaign_id = await create(api, acme)
    # when globex's admin asks for it, or anyone for an id that does not exist
    # then there is none
    assert await read(api, globex, campaign_id) is None
    assert await read(api, acme, "no-such-campaign") is None
