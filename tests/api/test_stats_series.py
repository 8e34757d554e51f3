"""stats.series: buckets follow the program's time zone (Asia/Riyadh, UTC+3).

Orders A (22:30Z on Jan 5 = 01:30 local Jan 6), B (20:59Z Jan 6 = 23:59 local Jan 6) and
C (21:00Z Jan 6 = 00:00 local Jan 7): by local day Jan 6 has A and B (150.00, 150 points),
Jan 7 has C (30.00, 30 points); in UTC they would split A | B, C instead."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, enroll
from tests.api.test_stats import at

SERIES = """
query($from: DateTime!, $to: DateTime!, $g: StatsGranularity!) {
  stats(from: $from, to: $to) { series(granularity: $g) {
    start end pointsIssued pointsRedeemed pointsExpired orders revenue newMembers } } }
"""
RIYADH = """
mutation { updateProgram(input: { timezone: "Asia/Riyadh" }) { userErrors { code } } }
"""
LOCAL_JAN_6_AND_7 = {"from": "2026-01-05T21:00:00Z", "to": "2026-01-07T21:00:00Z"}


async def setup(api: Api, creds: TenantCreds) -> None:
    body = await api.gql(RIYADH, token=creds.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []
    api.clock.set(at("2026-01-05T22:00:00"))
    await enroll(api, creds, "c1")
    api.clock.set(at("2026-01-10T00:00:00"))
    for order_id, placed, total in (
        ("A", "2026-01-05T22:30:00Z", "100.00"),
        ("B", "2026-01-06T20:59:00Z", "50.00"),
        ("C", "2026-01-06T21:00:00Z", "30.00"),
    ):
        await order_at(api, creds, order_id, placed, total)


async def order_at(api: Api, creds: TenantCreds, order_id: str, placed: str, total: str) -> None:
    variables = {
        "input": {
            "memberExternalId": "c1",
            "orderId": order_id,
            "total": total,
            "currency": "SAR",
            "placedAt": placed,
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    assert body["data"]["recordOrder"]["userErrors"] == [], body


async def series(api: Api, creds: TenantCreds, granularity: str) -> Any:
    body = await api.gql(SERIES, {**LOCAL_JAN_6_AND_7, "g": granularity}, token=creds.admin)
    assert body.get("errors") is None, body
    return body["data"]["stats"]["series"]


def bucket(start: str, end: str, orders: int, revenue: str, new: int) -> dict[str, Any]:
    points = int(revenue.split(".")[0])
    return {
        "start": start,
        "end": end,
        "pointsIssued": points,
        "pointsRedeemed": 0,
        "pointsExpired": 0,
        "orders": orders,
        "revenue": revenue,
        "newMembers": new,
    }


async def test_days_are_local_days(api: Api, acme: TenantCreds) -> None:
    # given
    await setup(api, acme)
    # when
    days = await series(api, acme, "DAY")
    # then
    assert days == [
        bucket("2026-01-05T21:00:00+00:00", "2026-01-06T21:00:00+00:00", 2, "150.00", 1),
        bucket("2026-01-06T21:00:00+00:00", "2026-01-07T21:00:00+00:00", 1, "30.00", 0),
    ]


async def test_weeks_start_on_local_monday_and_months_on_the_first(
    api: Api, acme: TenantCreds
) -> None:
    # given: Jan 6 2026 is a Tuesday, so its week started on Monday Jan 5 (local)
    await setup(api, acme)
    # when
    weeks = await series(api, acme, "WEEK")
    months = await series(api, acme, "MONTH")
    # then
    assert weeks == [
        bucket("2026-01-04T21:00:00+00:00", "2026-01-11T21:00:00+00:00", 3, "180.00", 1)
    ]
    assert months == [
        bucket("2025-12-31T21:00:00+00:00", "2026-01-31T21:00:00+00:00", 3, "180.00", 1)
    ]


async def test_too_many_buckets_is_a_coded_error(api: Api, acme: TenantCreds) -> None:
    # when: two years by day is more than 400 buckets
    variables = {"from": "2024-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z", "g": "DAY"}
    body = await api.gql(SERIES, variables, token=acme.admin)
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_BUCKETS", "field": ["granularity"]}


async def test_the_series_of_another_tenant_is_its_own(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await setup(api, acme)
    # when
    theirs = await api.gql(SERIES, {**LOCAL_JAN_6_AND_7, "g": "MONTH"}, token=globex.admin)
    # then: globex (UTC) has no orders; its month bucket starts at UTC midnight
    assert theirs["data"]["stats"]["series"] == [
        bucket("2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00", 0, "0.00", 0)
    ]
