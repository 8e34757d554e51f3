"""Reservations at once on one wallet (a thousand in the slow run): each point is held once at
most, the wallet equals its ledger, and every refusal is clean.

All of them race for one member document, the worst case of the conditional-update design:
on memory:// the thousand take minutes (each write makes the others read and decide again), so
the default run races a hundred and `pytest -m slow` the thousand."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from loyalty.errors import DomainError
from loyalty.ledger import TransactionType
from loyalty.lots import view
from loyalty.ports import Deps
from loyalty.usecases import adjustments, checkout, members, tenants

POINTS_EACH = 10


@pytest.mark.parametrize(
    "reservations", [100, pytest.param(1000, marks=pytest.mark.slow, id="thousand")]
)
async def test_concurrent_reservations_never_hold_a_point_twice(
    deps: Deps, reservations: int
) -> None:
    # given a member with points for half of the reservations
    balance = reservations * POINTS_EACH // 2
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    tenant = created.tenant
    member = await members.enrol(deps, tenant, "c1")
    await adjustments.adjust_points(
        deps,
        tenant,
        member_external_id="c1",
        points=balance,
        reason="seed",
        idempotency_key="seed",
    )

    async def attempt(n: int) -> str:
        try:
            await checkout.reserve_points(
                deps,
                tenant,
                member,
                points=POINTS_EACH,
                cart_total="1000.00",
                currency="SAR",
                idempotency_key=f"cart-{n}",
            )
        except DomainError as exc:
            return exc.code.value
        return "HELD"

    # when every cart reserves 10 points at the same moment
    started = time.monotonic()
    outcomes = Counter(await asyncio.gather(*(attempt(n) for n in range(reservations))))
    elapsed = time.monotonic() - started
    print(f"\n{reservations} concurrent reservations: {dict(outcomes)} in {elapsed:.1f}s")
    # then exactly the points there were are held, the rest refused, none twice
    assert outcomes["HELD"] * POINTS_EACH <= balance
    assert set(outcomes) <= {"HELD", "INSUFFICIENT_POINTS", "IN_PROGRESS"}
    assert outcomes["HELD"] == balance // POINTS_EACH
    fresh = await deps.members.get(tenant.slug, member.id)
    assert fresh is not None
    wallet = fresh.wallet
    assert len(wallet.holds) == outcomes["HELD"]
    assert len({hold.id for hold in wallet.holds}) == len(wallet.holds)
    assert (wallet.balance, wallet.held) == (0, balance)
    assert view(wallet, deps.clock.now()).balance == 0
    # and the ledger says the same, entry by entry
    entries = await deps.members.ledger_page(tenant.slug, member.id, None, 5000)
    assert Counter(e.type for e in entries) == {
        TransactionType.ADJUST: 1,
        TransactionType.HOLD: outcomes["HELD"],
    }
    assert sum(e.balance_delta for e in entries) == wallet.balance
    assert sum(e.held_delta for e in entries) == wallet.held
