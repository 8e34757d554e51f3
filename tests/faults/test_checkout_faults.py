"""The fault matrix (tests/faults/matrix.py) over checkout with points and coupon cancelling:
reservePoints, releasePoints, recordOrder capturing a reservation, and cancelCoupon, each
failed at every database call in turn with each kind of replica-set error, then retried with
the same input, end exactly as a clean run: the points held, given back or captured once, the
reservation's record settled, the wallet equal to its ledger (HOLD, CAPTURE, HOLD_RELEASE
entries included), no idempotency claim left without its result."""

from __future__ import annotations

import pytest

from loyalty.clock import FrozenClock
from loyalty.errors import DomainError, ErrorCode
from loyalty.lots import view
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import checkout, coupons, orders
from tests.faults import scenarios as base
from tests.faults.matrix import exercise
from tests.faults.scenarios import Given, Scenario
from tests.faults.store_faults import Fault


async def _reserve(deps: Deps, tenant: Tenant, key: str) -> checkout.Reserved:
    alice = await base._member(deps, tenant, "alice")
    return await checkout.reserve_points(
        deps,
        tenant,
        alice,
        points=60,
        cart_total="100.00",
        currency="SAR",
        idempotency_key=key,
    )


async def alice_holding(deps: Deps, clock: FrozenClock) -> None:
    """alice has 100 points, 60 of them held for a cart."""
    await base.alice_with_points(deps, clock)
    tenant = await deps.tenants.get(base.SLUG)
    assert tenant is not None
    await _reserve(deps, tenant, "setup-cart")


async def the_reservation(deps: Deps, tenant: Tenant) -> Given:
    """What the app (or the store) was told when the points were held."""
    held = await _reserve(deps, tenant, "setup-cart")
    return {"reservation": held.reservation.id, "member": held.member.id}


async def reserve(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await _reserve(deps, tenant, "cart-1")


async def release(deps: Deps, tenant: Tenant, given: Given) -> object:
    """releasePoints has no idempotency key: asked again once the points are back, it answers
    RESERVATION_RELEASED, which tells a client retrying that its first attempt went through.
    Either way the client ends knowing the reservation released, and what its wallet holds."""
    try:
        done = await checkout.release_points(
            deps, tenant, reservation_id=given["reservation"], member_id=given["member"]
        )
    except DomainError as exc:
        if exc.code is not ErrorCode.RESERVATION_RELEASED:
            raise
        reservation = await deps.reservations.get(tenant.slug, given["reservation"])
        member = await deps.members.get(tenant.slug, given["member"])
        assert reservation is not None and member is not None
        done = checkout.Reserved(reservation, member)
    return {
        "reservation": done.reservation,
        "balance": view(done.member.wallet, deps.clock.now()).balance,
    }


async def capture(deps: Deps, tenant: Tenant, given: Given) -> object:
    """The store's order paid partly with the held points: they are captured, the order earns
    on its total (tier upgrade and first-order badge included)."""
    return await orders.record_order(
        deps,
        tenant,
        member_external_id="alice",
        order_id="o-paid",
        total="600.00",
        currency="SAR",
        items=None,
        placed_at=None,
        points_reservation_id=given["reservation"],
    )


async def cancel(deps: Deps, tenant: Tenant, given: Given) -> object:
    alice = await base._member(deps, tenant, "alice")
    return await coupons.cancel_coupon(
        deps, tenant, code=given["code"], idempotency_key="cc-1", member=alice
    )


SCENARIOS = (
    Scenario("reservePoints", base.alice_with_points, reserve),
    Scenario("releasePoints", alice_holding, release, the_reservation),
    Scenario("recordOrder+pointsReservationId", alice_holding, capture, the_reservation),
    Scenario("cancelCoupon", base.alice_redeemed, cancel, base.the_coupon),
)


@pytest.mark.parametrize("fault", list(Fault), ids=[f.value for f in Fault])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_a_retry_after_a_fault_at_any_call_ends_as_a_clean_run(
    scenario: Scenario, fault: Fault
) -> None:
    # given a clean run of the mutation and the database calls it makes
    # when each of those calls in turn fails with `fault` and the client retries
    failures = await exercise(scenario, fault)
    # then each run ends as the clean run did
    assert failures == []
