"""Points that expire while still pending (a program stored before such settings were refused)
leave the pending figure; the spendable balance and the ledger stay exact."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from loyalty.usecases.settlement import settle_due_wallets
from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, admin_wallet, enroll, give_points


async def test_an_order_expiring_inside_its_return_window_never_touches_the_balance(
    api: Api, acme: TenantCreds
) -> None:
    # given the program: a 30-day window, 1-month expiry, in Pacific/Auckland
    tenant = await api.deps.tenants.get(acme.slug)
    assert tenant is not None
    program = replace(tenant.program, pending_days=30, expiry_months=1, timezone="Pacific/Auckland")
    await api.deps.tenants.save_program(acme.slug, program)
    api.clock.set(datetime(2026, 1, 29, 12, 0, tzinfo=UTC))
    await enroll(api, acme, "c1")
    # ... 573 points from an order placed on 29 January (30 January in Auckland)
    variables = {
        "input": {"memberExternalId": "c1", "orderId": "O1", "total": "573", "currency": "SAR"}
    }
    body = await api.gql(RECORD_ORDER, variables, token=acme.events)
    assert body["data"]["recordOrder"]["pending"] is True
    # ... and 100 spendable points given on 15 February
    api.clock.set(datetime(2026, 2, 15, 12, 0, tzinfo=UTC))
    await give_points(api, acme, "c1", 100, "g1")

    # when the points expire (1 March in Auckland) before their release, and settlement runs
    api.clock.set(datetime(2026, 2, 28, 11, 30, tzinfo=UTC))
    written = await settle_due_wallets(api.deps, acme.slug)
    api.clock.advance(timedelta(days=1))
    again = await settle_due_wallets(api.deps, acme.slug)

    # then one EXPIRE entry took the 573 out of pending, and nothing was released
    assert (written, again) == (1, 0)
    balance, pending, lifetime, nodes = await admin_wallet(
        api, acme, "c1", "type points balanceAfter"
    )
    assert (balance, pending, lifetime) == (100, 0, 673)
    assert nodes == [
        {"type": "EXPIRE", "points": -573, "balanceAfter": 100},
        {"type": "ADJUST", "points": 100, "balanceAfter": 100},
        {"type": "PENDING", "points": 573, "balanceAfter": 0},
    ]
    member = await api.deps.members.get_by_external_id(acme.slug, "c1")
    assert member is not None
    assert (member.wallet.balance, member.wallet.pending) == (100, 0)
