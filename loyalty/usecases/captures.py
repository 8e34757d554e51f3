"""The store's order captures the points held for its cart, and its refunds give a share back.

The capture comes before the order is stored: an order whose hold has expired (or was
released, or paid another order) is refused with the reason and nothing is recorded. Its
operation id is the reservation's, so a retry of the same order replays it, and the CAPTURE
entry names the order, so a capture for another order is told apart."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from loyalty.checkout import parts_to_return, points_to_return
from loyalty.holds import HoldMissing, capture_hold, return_spent
from loyalty.ledger import Reason
from loyalty.lots import HeldPart, WalletChange, WalletState
from loyalty.orders import Order
from loyalty.ports import Deps, WalletOperation
from loyalty.reservations import PointsReservation, ReservationStatus
from loyalty.tenants import Tenant
from loyalty.usecases.moves import move
from loyalty.usecases.reservation_states import find_reservation, refusal, settled_elsewhere
from loyalty.wallet import claw_back

FIELD = ("input", "pointsReservationId")


async def capture_for_order(
    deps: Deps, tenant: Tenant, reservation_id: str, member_id: str, order_id: str
) -> PointsReservation:
    """Captures the member's reservation for `order_id` (again: a replay), or refuses."""
    reservation = await find_reservation(deps, tenant, reservation_id, member_id, FIELD)
    status = reservation.status_at(deps.clock.now())
    if status is ReservationStatus.CAPTURED and reservation.order_id == order_id:
        return reservation
    if status is not ReservationStatus.HELD:
        raise refusal(reservation, status, FIELD)
    op_id = f"capture:{reservation.id}"

    def operation(state: WalletState) -> WalletChange:
        return capture_hold(
            state, deps.clock.now(), op_id=op_id, hold_id=reservation.id, order_id=order_id
        )

    try:
        applied = await move(deps, tenant.slug, member_id, op_id, operation)
    except HoldMissing:
        raise await settled_elsewhere(deps, tenant, reservation, FIELD) from None
    entry = applied.entries[-1]
    if entry.order_id != order_id:  # an earlier attempt captured it for another order
        captured = await deps.reservations.settle(
            tenant.slug,
            reservation.id,
            ReservationStatus.CAPTURED,
            entry.created_at,
            entry.order_id,
        )
        raise refusal(captured or reservation, ReservationStatus.CAPTURED, FIELD)
    settled = await deps.reservations.settle(
        tenant.slug, reservation.id, ReservationStatus.CAPTURED, entry.created_at, order_id
    )
    return settled or await find_reservation(deps, tenant, reservation_id, member_id, FIELD)


def points_returned(order: Order, amount: Decimal) -> int:
    """Of the points the order was paid with, those refunding `amount` more gives back."""
    return points_to_return(
        order.points_paid, order.returned_points, order.total, order.refunded + amount
    )


async def parts_returned(
    deps: Deps, tenant: Tenant, order: Order, refund_key: str
) -> tuple[HeldPart, ...]:
    """The lots the refund under `refund_key` (already on `order`) gives points back as: the
    spent lots' dates, the latest-expiring first, after what earlier refunds returned."""
    index = next(i for i, r in enumerate(order.refunds) if r.key == refund_key)
    points = order.refunds[index].points_returned
    if points <= 0:
        return ()
    before = sum(r.points_returned for r in order.refunds[:index])
    rid = order.points_reservation_id
    reservation = await deps.reservations.get(tenant.slug, rid) if rid else None
    parts = reservation.parts if reservation is not None else ()
    if sum(part.points for part in parts) < order.points_paid:
        # A record that lost its parts (a hold replayed after it expired cannot be captured,
        # so this is defensive): the points come back dated as the order.
        expires = tenant.program.expires_at(order.placed_at)
        parts = (HeldPart("", order.points_paid, order.placed_at, expires, order.order_id),)
    return parts_to_return(parts, before, points)


def refund_operation(
    deps: Deps, op_id: str, order_id: str, clawed: int, parts: tuple[HeldPart, ...]
) -> WalletOperation:
    """One write for a refund: take back what the order earned, give back the share of the
    points it was paid with (one operation id: a retry does neither twice)."""

    def operation(state: WalletState) -> WalletChange:
        now = deps.clock.now()
        taken = claw_back(
            state,
            now,
            op_id=op_id,
            points=clawed,
            order_id=order_id,
            reason=Reason("reason.refund", {"order_id": order_id}),
        )
        if not parts:
            return taken
        given = return_spent(taken.state, now, op_id=op_id, parts=parts, order_id=order_id)
        state_after = replace(given.state, recent_ops=taken.state.recent_ops)
        return WalletChange(state_after, taken.entries + given.entries)

    return operation
