"""wallet.transactions: newest first by the date the points moved, on a stable keyset cursor
(effective date, seq), so a back-dated order sits among the entries of its date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, enroll, give_points

PAGE = """
query($after: String) { me { wallet { transactions(first: 2, after: $after) {
  edges { cursor node { type points orderId createdAt } } pageInfo { hasNextPage endCursor } } } } }
"""


async def back_dated_order(
    api: Api, creds: TenantCreds, member: str, order_id: str, total: str, days_ago: int
) -> None:
    placed_at = api.clock.now() - timedelta(days=days_ago)
    variables = {
        "input": {
            "memberExternalId": member,
            "orderId": order_id,
            "total": total,
            "currency": "SAR",
            "placedAt": placed_at.isoformat(),
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    assert body["data"]["recordOrder"]["userErrors"] == [], body


async def all_pages(api: Api, token: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        body = await api.gql(PAGE, {"after": after}, token=token)
        connection = body["data"]["me"]["wallet"]["transactions"]
        nodes += [edge["node"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


async def test_listed_by_the_date_the_points_moved_not_by_when_they_were_recorded(
    api: Api, acme: TenantCreds
) -> None:
    # given an order today, then an order placed 3 days ago reported a day later, then an
    # adjustment at the same moment as that report
    start = api.clock.now()
    await enroll(api, acme, "m")
    await back_dated_order(api, acme, "m", "today", "100", days_ago=0)
    api.clock.advance(timedelta(days=1))
    await back_dated_order(api, acme, "m", "late", "50", days_ago=4)
    await give_points(api, acme, "m", 7, "adjust-1")
    # when the member pages through the history two at a time
    nodes = await all_pages(api, acme.member_token(api, "m"))
    # then newest date first; entries of the same moment in the order they were applied
    assert [(n["type"], n["points"], n["orderId"], n["createdAt"]) for n in nodes] == [
        ("ADJUST", 7, None, api.clock.now().isoformat()),
        ("PENDING", 100, "today", start.isoformat()),
        ("PENDING", 50, "late", (start - timedelta(days=3)).isoformat()),
    ]


async def test_a_page_boundary_holds_while_back_dated_entries_arrive(
    api: Api, acme: TenantCreds
) -> None:
    # given four orders on four days, and the first page of two read
    await enroll(api, acme, "m")
    for day in range(4):
        await back_dated_order(api, acme, "m", f"o{day}", "10", days_ago=0)
        api.clock.advance(timedelta(days=1))
    token = acme.member_token(api, "m")
    first = (await api.gql(PAGE, {"after": None}, token=token))["data"]["me"]["wallet"]
    first_page = first["transactions"]
    assert [e["node"]["orderId"] for e in first_page["edges"]] == ["o3", "o2"]
    # when an order placed before the boundary and one placed after it arrive now
    await back_dated_order(api, acme, "m", "older", "10", days_ago=5)  # before o0
    await back_dated_order(api, acme, "m", "newer", "10", days_ago=0)  # newest of all
    after = first_page["pageInfo"]["endCursor"]
    rest = (await api.gql(PAGE, {"after": after}, token=token))["data"]["me"]["wallet"]
    # then the next page continues right after o2: nothing repeated, the older one in place
    assert [e["node"]["orderId"] for e in rest["transactions"]["edges"]] == ["o1", "o0"]
    assert [n["orderId"] for n in await all_pages(api, token)] == [
        "newer",
        "o3",
        "o2",
        "o1",
        "o0",
        "older",
    ]


async def test_a_cursor_of_another_kind_is_refused(api: Api, acme: TenantCreds) -> None:
    # given the old seq-style cursor "seq:5"
    await enroll(api, acme, "m")
    # when
    body = await api.gql(PAGE, {"after": "c2VxOjU="}, token=acme.member_token(api, "m"))
    # then
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": ["after"]}
