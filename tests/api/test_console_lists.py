"""What the console lists (issue 13): every badge (inactive too), the campaigns newest first
with their paging, and the segment policy the Program screen edits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import Api, TenantCreds

BADGE = """mutation($input: UpsertBadgeInput!) { upsertBadge(input: $input) {
  badge { id } userErrors { code field } } }"""
BADGES = "{ badges { name rule goal bonusPoints active } }"
CAMPAIGN = """mutation($input: CreateCampaignInput!) { createCampaign(input: $input) {
  campaign { id } userErrors { code } } }"""
CAMPAIGNS = """query($first: Int, $after: String) { campaigns(first: $first, after: $after) {
  edges { node { name status queued } } pageInfo { hasNextPage endCursor } } }"""


async def _badge(api: Api, creds: TenantCreds, name: str, active: bool) -> None:
    variables = {
        "input": {"name": {"en": name}, "rule": "ORDER_COUNT", "goal": 3, "active": active}
    }
    body = await api.gql(BADGE, variables, token=creds.admin)
    assert body["data"]["upsertBadge"]["userErrors"] == []


async def _campaign(api: Api, creds: TenantCreds, name: str) -> None:
    text = {"ar": "عرض", "en": "Offer"}
    variables = {"input": {"name": name, "title": text, "body": text}}
    body = await api.gql(CAMPAIGN, variables, token=creds.admin)
    assert body["data"]["createCampaign"]["userErrors"] == []


async def test_badges_lists_every_badge_inactive_ones_too_oldest_first(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await _badge(api, acme, "Regular", True)
    api.clock.advance(timedelta(minutes=1))
    await _badge(api, acme, "Retired", False)
    await _badge(api, globex, "Elsewhere", True)
    # when
    body = await api.gql(BADGES, token=acme.admin, locale="en")
    # then
    assert body["data"]["badges"] == [
        {"name": "Regular", "rule": "ORDER_COUNT", "goal": 3, "bonusPoints": 0, "active": True},
        {"name": "Retired", "rule": "ORDER_COUNT", "goal": 3, "bonusPoints": 0, "active": False},
    ]


async def test_badges_is_for_the_admin_only(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(BADGES, token=acme.member_token(api, "c1"))
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_campaigns_pages_newest_first_and_stays_in_its_tenant(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    for name in ("First", "Second", "Third"):
        await _campaign(api, acme, name)
        api.clock.advance(timedelta(minutes=1))
    await _campaign(api, globex, "Theirs")
    # when
    first = (await api.gql(CAMPAIGNS, {"first": 2}, token=acme.admin))["data"]["campaigns"]
    after = first["pageInfo"]["endCursor"]
    rest = (await api.gql(CAMPAIGNS, {"first": 2, "after": after}, token=acme.admin))["data"]
    # then
    assert [e["node"] for e in first["edges"]] == [
        {"name": "Third", "status": "SCHEDULED", "queued": 0},
        {"name": "Second", "status": "SCHEDULED", "queued": 0},
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["name"] for e in rest["campaigns"]["edges"]] == ["First"]
    assert rest["campaigns"]["pageInfo"]["hasNextPage"] is False


async def test_campaigns_refuses_a_bad_cursor_with_its_code(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(CAMPAIGNS, {"after": "not-a-cursor"}, token=acme.admin)
    # then
    error: dict[str, Any] = body["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["extensions"]["field"] == ["after"]


async def test_program_shows_the_segment_policy_updateprogram_saved(
    api: Api, acme: TenantCreds
) -> None:
    # given
    query = "{ program { segmentPolicy { windowDays inactivityDays topOrders topSpend } } }"
    before = (await api.gql(query, token=acme.admin))["data"]["program"]["segmentPolicy"]
    update = """mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
      userErrors { code } } }"""
    policy = {"windowDays": 30, "inactivityDays": 45, "topOrders": 4, "topSpend": "750"}
    # when
    body = await api.gql(update, {"input": {"segmentPolicy": policy}}, token=acme.admin)
    # then
    assert before == {"windowDays": 90, "inactivityDays": 60, "topOrders": 5, "topSpend": "1000"}
    assert body["data"]["updateProgram"]["userErrors"] == []
    after = (await api.gql(query, token=acme.admin))["data"]["program"]["segmentPolicy"]
    assert after == policy
