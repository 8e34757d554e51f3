"""leaderboard: snapshot ranks refreshed by the scheduler, masked names, opt-out, own rank."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from api.scheduler import Scheduler
from mongo.client import Database
from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.tiers_helpers import order

BOARD = """
query($period: LeaderboardPeriod!, $first: Int) { leaderboard(period: $period, first: $first) {
  period startsAt endsAt updatedAt entries { rank displayName score isMe }
  me { rank displayName score isMe } } }
"""
PROFILE = """
mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  member { leaderboardOptOut } userErrors { code field } } }
"""


async def board(
    api: Api, creds: TenantCreds, member: str, period: str = "MONTH", first: int = 2
) -> dict[str, Any]:
    token = creds.member_token(api, member)
    body = await api.gql(BOARD, {"period": period, "first": first}, token=token, locale="ar")
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["leaderboard"]
    return result


async def shoppers(api: Api, creds: TenantCreds) -> None:
    """a: 300, b: 300 (reached later), c: 100, d: 50 (opted out later)."""
    names = {"a": "Ahmed Khalil", "b": "Sara", "c": None, "d": "Dana Y"}
    for member, name in names.items():
        await enroll(api, creds, member)
        if name:
            await api.gql(
                PROFILE, {"input": {"displayName": name}}, token=creds.member_token(api, member)
            )
    await order(api, creds, "a", "o1", "300")
    api.clock.advance(timedelta(minutes=1))
    await order(api, creds, "b", "o2", "300")
    await order(api, creds, "c", "o3", "100")
    await order(api, creds, "d", "o4", "50")


async def test_ranks_ties_masking_and_own_entry(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given
    await shoppers(api, acme)
    await give_points(api, acme, "c", 1000, "adjust")  # corrections are not "earned"
    # when the scheduler refreshes
    await Scheduler(database, api.deps, interval=60).tick()
    result = await board(api, acme, "c")
    # then a and b tie at rank 1 (a, who reached 300 first, is listed first); c is third
    # (standard competition ranking: 1, 1, 3) and sees its own rank outside the top 2
    assert result["entries"] == [
        {"rank": 1, "displayName": "Ahmed K.", "score": 300, "isMe": False},
        {"rank": 1, "displayName": "Sara", "score": 300, "isMe": False},
    ]
    assert result["me"] == {"rank": 3, "displayName": "عضو", "score": 100, "isMe": True}
    assert (result["startsAt"], result["endsAt"]) == (
        "2026-01-01T00:00:00+00:00",
        "2026-02-01T00:00:00+00:00",
    )
    assert result["updatedAt"] == api.clock.now().isoformat()


async def test_a_tie_larger_than_the_page_fills_the_page_and_the_next_rank_skips(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given three members on 200 points and one on 100
    for member, order_id, total in [("a", "o1", "200"), ("b", "o2", "200"), ("c", "o3", "200")]:
        await enroll(api, acme, member)
        await order(api, acme, member, order_id, total)
        api.clock.advance(timedelta(minutes=1))
    await enroll(api, acme, "d")
    await order(api, acme, "d", "o4", "100")
    # when the scheduler refreshes and each asks for the top 2
    await Scheduler(database, api.deps, interval=60).tick()
    for_c = await board(api, acme, "c")
    for_d = await board(api, acme, "d")
    # then the page holds two of the three tied (in the order they got there), c's own rank is
    # 1 as well, and d is 4th
    assert [(e["rank"], e["score"]) for e in for_c["entries"]] == [(1, 200), (1, 200)]
    assert for_c["me"] == {"rank": 1, "displayName": "عضو", "score": 200, "isMe": True}
    assert for_d["me"] == {"rank": 4, "displayName": "عضو", "score": 100, "isMe": True}
    every = await board(api, acme, "d", first=10)
    assert [(e["rank"], e["score"], e["isMe"]) for e in every["entries"]] == [
        (1, 200, False),
        (1, 200, False),
        (1, 200, False),
        (4, 100, True),
    ]


async def test_new_points_show_at_the_next_refresh_and_opt_out_hides_at_once(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a published board
    await shoppers(api, acme)
    scheduler = Scheduler(database, api.deps, interval=60)
    await scheduler.tick()
    # when d earns more and opts out
    await order(api, acme, "d", "o5", "1000")
    token = acme.member_token(api, "d")
    payload = await api.gql(PROFILE, {"input": {"leaderboardOptOut": True}}, token=token)
    # then d is gone at once; others' snapshot is unchanged until the refresh
    assert payload["data"]["updateProfile"]["member"] == {"leaderboardOptOut": True}
    assert (await board(api, acme, "d", first=10))["me"] is None
    assert [e["score"] for e in (await board(api, acme, "a", first=10))["entries"]] == [
        300,
        300,
        100,
    ]
    api.clock.advance(timedelta(minutes=6))
    await scheduler.tick()
    fresh = await board(api, acme, "a", first=10)
    assert [e["score"] for e in fresh["entries"]] == [300, 300, 100]
    assert fresh["updatedAt"] == api.clock.now().isoformat()


async def test_periods_and_tenants_are_separate(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database
) -> None:
    # given a's order last month, and a globex shopper with the same id
    await enroll(api, acme, "a")
    await order(api, acme, "a", "o1", "300")
    api.clock.advance(timedelta(days=31))
    await enroll(api, globex, "a")
    await order(api, globex, "a", "g1", "40")
    await Scheduler(database, api.deps, interval=60).tick()
    # then
    assert (await board(api, acme, "a"))["entries"] == []
    assert (await board(api, acme, "a", "ALL_TIME"))["me"]["score"] == 300
    assert [e["score"] for e in (await board(api, globex, "a", "ALL_TIME"))["entries"]] == [40]


@pytest.mark.parametrize("first", [0, 101])
async def test_first_outside_1_to_100_is_refused(api: Api, acme: TenantCreds, first: int) -> None:
    # given
    await enroll(api, acme, "a")
    # when
    body = await api.gql(
        BOARD, {"period": "WEEK", "first": first}, token=acme.member_token(api, "a")
    )
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "OUT_OF_RANGE", "field": ["first"]}


async def test_needs_a_member_token(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(BOARD, {"period": "WEEK"}, token=acme.admin)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
