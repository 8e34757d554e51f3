"""Zid's order times ("2026-01-13 12:00:00") carry no offset and its payloads name no store
time zone: they are read in the program's time zone, and an offset, when one is sent, wins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.store_simulator import ORDERS, Store, connect, fixture

ZONE = """mutation($tz: String!) { updateProgram(input: { timezone: $tz }) {
  userErrors { code } } }"""


async def paid_zid_order(api: Api, creds: TenantCreds, created_at: str, updated_at: str) -> None:
    await connect(api, creds, "zid")
    order = fixture("zid", "order.create")
    order["order_status"]["code"] = "preparing"
    order["payment_status"] = "paid"
    order["created_at"], order["updated_at"] = created_at, updated_at
    assert (await Store(api, creds.slug, "zid").send(order)).json() == {"status": "applied"}


@pytest.mark.parametrize(
    ("zone", "placed"),
    [
        ("Asia/Riyadh", datetime(2026, 1, 13, 9, 0, tzinfo=UTC)),
        ("Asia/Dubai", datetime(2026, 1, 13, 8, 0, tzinfo=UTC)),
        ("UTC", datetime(2026, 1, 13, 12, 0, tzinfo=UTC)),
    ],
)
async def test_zid_times_are_read_in_the_program_time_zone(
    api: Api, acme: TenantCreds, zone: str, placed: datetime
) -> None:
    # given a program in `zone`
    body = await api.gql(ZONE, {"tz": zone}, token=acme.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []
    # when Zid reports an order placed at noon, wall clock
    await paid_zid_order(api, acme, "2026-01-13 12:00:00", "2026-01-13 12:00:05")
    # then it was placed at noon in the program's zone
    order = await api.deps.orders.get(acme.slug, ORDERS["zid"])
    assert order is not None and order.placed_at == placed


async def test_an_offset_zid_sends_wins_over_the_program_zone(api: Api, acme: TenantCreds) -> None:
    # given a program in Riyadh time
    await api.gql(ZONE, {"tz": "Asia/Riyadh"}, token=acme.admin)
    # when the order's time carries its own offset
    await paid_zid_order(api, acme, "2026-01-13T12:00:00+00:00", "2026-01-13T12:00:05+00:00")
    # then the offset is taken
    order = await api.deps.orders.get(acme.slug, ORDERS["zid"])
    assert order is not None and order.placed_at == datetime(2026, 1, 13, 12, 0, tzinfo=UTC)
