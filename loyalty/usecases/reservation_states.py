"""Where a points reservation stands, and why it can no longer be captured or released."""

from __future__ import annotations

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.reservations import PointsReservation, ReservationStatus
from loyalty.tenants import Tenant


async def find_reservation(
    deps: Deps, tenant: Tenant, rid: str, member_id: str | None, field: tuple[str, ...]
) -> PointsReservation:
    """The tenant's reservation; with `member_id`, only that member's (another member's is
    not found, so its existence is not revealed)."""
    reservation = await deps.reservations.get(tenant.slug, rid) if rid else None
    if reservation is None or member_id not in (None, reservation.member_id):
        raise DomainError(ErrorCode.RESERVATION_NOT_FOUND, field)
    return reservation


FIELD = ("reservationId",)


def refusal(
    reservation: PointsReservation, status: ReservationStatus, field: tuple[str, ...]
) -> DomainError:
    """Why a reservation in `status` can no longer be captured or released."""
    if status is ReservationStatus.CAPTURED:
        return DomainError(
            ErrorCode.RESERVATION_CAPTURED, field, order_id=reservation.order_id or ""
        )
    if status is ReservationStatus.RELEASED:
        return DomainError(ErrorCode.RESERVATION_RELEASED, field)
    return DomainError(ErrorCode.RESERVATION_EXPIRED, field)


async def settled_elsewhere(
    deps: Deps, tenant: Tenant, reservation: PointsReservation, field: tuple[str, ...]
) -> DomainError:
    """The hold left the wallet by another way than the one asked for: a capture or release
    whose record is written (or a crash left it HELD: then the ledger says which), or expiry."""
    fresh = await deps.reservations.get(tenant.slug, reservation.id) or reservation
    if fresh.status is not ReservationStatus.HELD:
        return refusal(fresh, fresh.status, field)
    for op_prefix, status in (
        ("release", ReservationStatus.RELEASED),
        ("capture", ReservationStatus.CAPTURED),
    ):
        entries = await deps.members.operation_entries(
            tenant.slug, reservation.member_id, f"{op_prefix}:{reservation.id}"
        )
        if entries:
            order_id = entries[-1].order_id
            settled = await deps.reservations.settle(
                tenant.slug, reservation.id, status, entries[-1].created_at, order_id
            )
            return refusal(settled or fresh, status, field)
    return DomainError(ErrorCode.RESERVATION_EXPIRED, field)
