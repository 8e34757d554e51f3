"""A thousand reservations at once on one wallet (issue 11): each point is held once at most,
exactly as many succeed as the points allow, every other one is refused with
INSUFFICIENT_POINTS, and the wallet equals its ledger.

All of them race for one member document, the worst case of the conditional-update design:
they are decided in turn and written in batches (mongo/wallet_queue.py), so the thousand take
seconds, not minutes."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from loyalty.errors import DomainError
from loyalty.ledger import TransactionType
from loyalty.lots import view
from loyalty.ports import Deps
from loyalty.usecases import adjustments, checkout, members, tenants
from mongo.client import Database

POINTS_EACH = 10


RESERVATIONS = 1000


async def test_concurrent_reservations_never_hold_a_point_twice(
    deps: Deps, database: Database
) -> None:
    # given a member with points for half of the reservations
    balance = RESERVATIONS * POINTS_EACH // 2
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

    answers: dict[str, int] = {}  # reservation id: the balance its answer showed

    async def attempt(n: int) -> str:
        try:
            reserved = await checkout.reserve_points(
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
        answers[reserved.reservation.id] = view(reserved.member.wallet, deps.clock.now()).balance
        return "HELD"

    # when every cart reserves 10 points at the same moment
    started = time.monotonic()
    outcomes = Counter(await asyncio.gather(*(attempt(n) for n in range(RESERVATIONS))))
    elapsed = time.monotonic() - started
    print(f"\n{RESERVATIONS} concurrent reservations: {dict(outcomes)} in {elapsed:.1f}s")
    # then exactly the points there were are held, the rest refused as short of points
    assert outcomes == {"HELD": balance // POINTS_EACH, "INSUFFICIENT_POINTS": RESERVATIONS // 2}
    fresh = await deps.members.get(tenant.slug, member.id)
    assert fresh is not None
    wallet = fresh.wallet
    assert sorted(hold.id for hold in wallet.holds) == sorted(answers)
    # each answer saw the holds before it: one after the other, 10 points less each time
    assert sorted(answers.values()) == list(range(0, balance, POINTS_EACH))
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
    # and every refused cart's key is free to be tried again; every held one kept its record
    assert await database.db["idempotency"].count_documents({"result": None}) == 0
    assert await database.db["points_reservations"].count_documents({}) == len(answers)
