"""members: the merchant's member list (filters, sorts, search, keyset pagination)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.global_ids import tier
from tests.api.members_helpers import build_directory, ids, members, profile


async def test_sorts_order_members_by_join_date_lifetime_points_and_last_order(
    api: Api, acme: TenantCreds
) -> None:
    # given
    silver, gold = await build_directory(api, acme)
    # when / then (never-ordered members come last by last order)
    assert await ids(api, acme) == ["m4", "m3", "m2", "m1"]
    assert await ids(api, acme, sort="LIFETIME_POINTS_DESC") == ["m2", "m3", "m1", "m4"]
    assert await ids(api, acme, sort="LAST_ORDER_DESC") == ["m1", "m3", "m2", "m4"]
    body = await members(api, acme, sort="LIFETIME_POINTS_DESC")
    nodes = [e["node"] for e in body["data"]["members"]["edges"]]
    assert [n["wallet"]["lifetimeEarned"] for n in nodes] == [2500, 600, 100, 0]
    assert [n["tier"]["tier"]["id"] for n in nodes] == [
        gold,
        silver,
        tier("acme", "base"),
        tier("acme", "base"),
    ]


async def test_filters_by_tier_segment_and_inactivity(api: Api, acme: TenantCreds) -> None:
    # given
    silver, gold = await build_directory(api, acme)
    everyone = (await members(api, acme))["data"]["members"]["edges"]
    segments = {e["node"]["externalId"]: e["node"]["segment"] for e in everyone}
    assert segments["m4"] == "NEW" and len(set(segments.values())) >= 2
    # when / then
    assert await ids(api, acme, tierId=gold) == ["m2"]
    assert await ids(api, acme, tierId=silver) == ["m3"]
    assert await ids(api, acme, tierId="base") == ["m4", "m1"]
    for segment in set(segments.values()):
        expected = [m for m in ("m4", "m3", "m2", "m1") if segments[m] == segment]
        assert await ids(api, acme, segment=segment) == expected
    # No order since Nov 1st (m1 ordered in December); m4 never ordered, joined before.
    assert await ids(api, acme, inactiveSince="2025-11-01T00:00:00Z") == ["m4", "m3", "m2"]
    # Since Aug 15th: m4 joined after it, m3's last order (Aug 2nd) is before it.
    assert await ids(api, acme, inactiveSince="2025-08-15T00:00:00Z") == ["m3", "m2"]
    assert await ids(api, acme, inactiveSince="2025-11-01T00:00:00Z", sort="LAST_ORDER_DESC") == [
        "m3",
        "m2",
        "m4",
    ]
    assert await ids(api, acme, tierId="base", inactiveSince="2025-11-01T00:00:00Z") == ["m4"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("سار", ["m1"]),
        ("ساره احمد", ["m1"]),  # typed without hamza or ta marbuta
        ("شمري", ["m3"]),  # without the article
        ("عمر", ["m3"]),
        ("omar", ["m2"]),
        ("SARA", ["m4", "m1"]),  # m1 by email
        ("sara sm", ["m4"]),
        ("0501234567", ["m1"]),  # local form of +966501234567
        ("m2", ["m2"]),  # external id
        ("mar", []),  # prefixes only
    ],
)
async def test_search_by_prefix_in_arabic_and_latin(
    api: Api, acme: TenantCreds, search: str, expected: list[str]
) -> None:
    # given
    await build_directory(api, acme)
    # when / then
    assert await ids(api, acme, search=search) == expected


async def test_search_combines_with_filters_and_follows_profile_changes(
    api: Api, acme: TenantCreds
) -> None:
    # given
    _, gold = await build_directory(api, acme)
    assert await ids(api, acme, search="sara", segment="NEW") == ["m4"]
    assert await ids(api, acme, search="sara", tierId=gold) == []
    assert await ids(api, acme, search="sara", tierId="base") == ["m4", "m1"]
    # when m1 renames itself and changes its email
    await profile(api, acme, "m1", displayName="ليلى", email="layla@example.com")
    # then the old words no longer find m1, the new ones do; the phone still does
    assert await ids(api, acme, search="سارة") == []
    assert await ids(api, acme, search="sara") == ["m4"]
    assert await ids(api, acme, search="ليلي") == ["m1"]
    assert await ids(api, acme, search="layla@") == ["m1"]
    assert await ids(api, acme, search="+966 50") == ["m1"]


async def collect(api: Api, creds: TenantCreds, page: int, **variables: Any) -> list[str]:
    seen: list[str] = []
    after = None
    for _ in range(50):
        body = await members(api, creds, first=page, after=after, **variables)
        connection = body["data"]["members"]
        seen += [e["node"]["externalId"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return seen
        after = connection["pageInfo"]["endCursor"]
    raise AssertionError("pagination did not end")


@pytest.mark.parametrize("sort", ["JOINED_DESC", "LIFETIME_POINTS_DESC", "LAST_ORDER_DESC"])
async def test_pages_cover_every_member_once_in_every_sort(
    api: Api, acme: TenantCreds, sort: str
) -> None:
    # given 4 members with data, and 21 more with equal figures (ties broken by id)
    await build_directory(api, acme)
    for i in range(21):
        await profile(api, acme, f"x{i:02}", displayName=f"Extra {i}")
    # when
    whole = await ids(api, acme, first=100, sort=sort)
    paged = await collect(api, acme, 4, sort=sort)
    # then
    assert len(whole) == 25 and len(set(whole)) == 25
    assert paged == whole
    assert await collect(api, acme, 3, sort=sort, tierId="base") == [
        m for m in whole if m not in ("m2", "m3")
    ]


async def test_search_results_page_in_join_order(api: Api, acme: TenantCreds) -> None:
    # given
    for i in range(7):
        await profile(api, acme, f"x{i}", displayName=f"Extra {i}")
        api.clock.advance(timedelta(minutes=1))
    # when
    paged = await collect(api, acme, 3, search="extra")
    # then
    assert paged == [f"x{i}" for i in reversed(range(7))]


async def test_a_page_resumes_after_its_cursor_even_when_members_join_meanwhile(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await build_directory(api, acme)
    first = (await members(api, acme, first=2))["data"]["members"]
    # when a member joins between two pages
    await profile(api, acme, "m5", displayName="New")
    second = await members(api, acme, first=2, after=first["pageInfo"]["endCursor"])
    # then
    assert [e["node"]["externalId"] for e in first["edges"]] == ["m4", "m3"]
    assert [e["node"]["externalId"] for e in second["data"]["members"]["edges"]] == ["m2", "m1"]
    assert second["data"]["members"]["pageInfo"]["hasNextPage"] is False
