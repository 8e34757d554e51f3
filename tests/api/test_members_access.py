"""members: bad arguments, tenant isolation and who may list members."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.members_helpers import build_directory, ids, members, profile


async def first_cursor(api: Api, creds: TenantCreds, **variables: Any) -> str:
    body = await members(api, creds, first=1, **variables)
    cursor: str = body["data"]["members"]["pageInfo"]["endCursor"]
    return cursor


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"first": 0}, "OUT_OF_RANGE", ["first"]),
        ({"first": 101}, "OUT_OF_RANGE", ["first"]),
        ({"after": "not-a-cursor"}, "INVALID_INPUT", ["after"]),
        ({"tierId": "platinum"}, "TIER_NOT_FOUND", ["tierId"]),
        ({"search": "   "}, "INVALID_INPUT", ["search"]),
        ({"search": "x" * 65}, "TOO_LONG", ["search"]),
        ({"search": "sara", "sort": "LIFETIME_POINTS_DESC"}, "SEARCH_SORT_UNSUPPORTED", ["sort"]),
        ({"search": "sara", "sort": "LAST_ORDER_DESC"}, "SEARCH_SORT_UNSUPPORTED", ["sort"]),
    ],
)
async def test_bad_arguments_are_coded_errors_in_the_readers_language(
    api: Api, acme: TenantCreds, variables: dict[str, Any], code: str, field: list[str]
) -> None:
    # given
    await profile(api, acme, "m1", displayName="Sara")
    # when
    arabic = await api.gql(
        "query($first: Int, $after: String, $tierId: ID, $search: String,"
        " $sort: MemberSort! = JOINED_DESC) { members(first: $first, after: $after,"
        " tierId: $tierId, search: $search, sort: $sort) { edges { cursor } } }",
        variables,
        token=acme.admin,
        locale="ar",
    )
    # then
    assert arabic["data"] is None
    assert arabic["errors"][0]["extensions"] == {"code": code, "field": field}
    message = arabic["errors"][0]["message"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in message), message


async def test_a_cursor_from_another_sort_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await build_directory(api, acme)
    cursor = await first_cursor(api, acme, sort="LIFETIME_POINTS_DESC")
    # when
    body = await members(api, acme, after=cursor, sort="JOINED_DESC")
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": ["after"]}


async def test_another_tenant_never_sees_these_members(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given the same external ids and names in both tenants
    await build_directory(api, acme)
    await profile(api, globex, "m1", displayName="سارة globex")
    acme_cursor = await first_cursor(api, acme)
    # when
    theirs = await ids(api, globex)
    searched = await ids(api, globex, search="سارة")
    resumed = await ids(api, globex, after=acme_cursor)
    mine = await ids(api, acme, search="globex")
    # then
    assert theirs == ["m1"] and searched == ["m1"]
    # A foreign cursor is only a position (Sept 1st): acme's m3, m2, m1 lie beyond it, and
    # globex's m1 (joined today) before it, so nothing follows.
    assert resumed == []
    assert mine == []
    body = await members(api, globex)
    assert body["data"]["members"]["edges"][0]["node"]["displayName"] == "سارة globex"


async def test_only_an_admin_key_may_list_members(api: Api, acme: TenantCreds) -> None:
    # given
    await profile(api, acme, "m1", displayName="Sara")
    callers = {
        acme.events: "FORBIDDEN",
        acme.member_token(api, "m1"): "FORBIDDEN",
        "lk_not_a_real_key": "UNAUTHENTICATED",
    }
    for token, code in callers.items():
        # when
        body = await members(api, acme, token=token)
        # then
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code
    anonymous = await api.gql("{ members { edges { cursor } } }", tenant=acme.slug)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
