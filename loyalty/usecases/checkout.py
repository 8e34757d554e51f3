"""Checkout with points: quote a cart, hold points for it, release them.

A hold is a wallet operation under an id derived from the idempotency key (so every attempt
under one key holds at most once), followed by its record. Held points that the shopper never
comes back for return by themselves when the hold expires: the wallet counts them as spendable
again from that moment, and the settlement job writes the HOLD_RELEASE entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from loyalty.checkout import check_request, max_usable, points_worth
from loyalty.earn_campaigns import EarnCampaign
from loyalty.errors import DomainError, ErrorCode
from loyalty.holds import HoldMissing, find_hold, hold_points, release_hold
from loyalty.i18n.money import Currency
from loyalty.lots import WalletChange, WalletState, view
from loyalty.members import Member
from loyalty.money import parse_amount, parse_currency
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps
from loyalty.reservations import PointsReservation, ReservationStatus, reservation_id
from loyalty.tenants import Tenant
from loyalty.usecases.idempotency import run_once
from loyalty.usecases.moves import move
from loyalty.usecases.order_earning import order_earning
from loyalty.usecases.orders import OrderLineInput, order_lines
from loyalty.usecases.reservation_states import (
    FIELD,
    find_reservation,
    refusal,
    settled_elsewhere,
)


@dataclass(frozen=True)
class Quote:
    points_to_earn: int
    max_redeemable_points: int
    max_discount: Decimal
    currency: str
    # The campaigns that raise what this cart earns (their names explain the points).
    campaigns: tuple[EarnCampaign, ...] = ()


@dataclass(frozen=True)
class Reserved:
    reservation: PointsReservation
    member: Member


def _currency(tenant: Tenant, currency: str) -> str:
    code = parse_currency(currency, ("input", "currency"))
    if code != tenant.program.currency:
        raise DomainError(
            ErrorCode.CURRENCY_MISMATCH,
            ("input", "currency"),
            currency=Currency(code),
            expected=Currency(tenant.program.currency),
        )
    return code


async def quote_order(
    deps: Deps,
    tenant: Tenant,
    member: Member | None,
    *,
    total: str,
    currency: str,
    items: list[OrderLineInput] | None,
) -> Quote:
    """What the cart earns and the most points it accepts. `member` None: a shopper not
    enrolled (yet), who earns at the base tier and has no points to use."""
    program = tenant.program
    code = _currency(tenant, currency)
    amount = parse_amount(total, code, ("input", "total"))
    lines = order_lines(items, code)
    now = deps.clock.now()
    earning = await order_earning(deps, tenant, member, amount, lines, now=now)
    balance = view(member.wallet, now).balance if member is not None else 0
    usable = max_usable(balance, amount, program.point_value, program.checkout)
    return Quote(
        points_to_earn=earning.points,
        max_redeemable_points=usable,
        max_discount=points_worth(usable, program.point_value, code),
        currency=code,
        campaigns=earning.campaigns,
    )


async def reserve_points(
    deps: Deps,
    tenant: Tenant,
    member: Member,
    *,
    points: int,
    cart_total: str,
    currency: str,
    idempotency_key: str,
) -> Reserved:
    program = tenant.program
    code = _currency(tenant, currency)
    cart = parse_amount(cart_total, code, ("input", "cartTotal"))
    discount = check_request(points, cart, program.point_value, code, program.checkout)
    hold_id = reservation_id(tenant.slug, member.id, idempotency_key)
    fingerprint = request_fingerprint(points, cart.normalize(), code)
    # What this call held, to answer with as it left the wallet (no read of a wallet that may
    # hold a thousand other reservations by now); a replayed key reads its record instead.
    made: list[Reserved] = []

    async def perform() -> dict[str, object]:
        now = deps.clock.now()
        expires_at = now + timedelta(minutes=program.checkout.hold_minutes)
        op_id = f"hold:{hold_id}"

        def operation(state: WalletState) -> WalletChange:
            return hold_points(
                state,
                deps.clock.now(),
                op_id=op_id,
                hold_id=hold_id,
                points=points,
                expires_at=expires_at,
            )

        applied = await move(deps, tenant.slug, member.id, op_id, operation)
        # A replayed hold may be gone from the wallet by now (it expired): its record then
        # keeps no parts, which only a captured hold needs.
        hold = find_hold(applied.member.wallet, hold_id)
        held_at = applied.entries[0].created_at if applied.entries else now
        reservation = await deps.reservations.insert(
            PointsReservation(
                id=hold_id,
                tenant=tenant.slug,
                member_id=member.id,
                points=points,
                discount=discount,
                currency=code,
                cart_total=cart,
                status=ReservationStatus.HELD,
                created_at=held_at,
                expires_at=hold.expires_at if hold else expires_at,
                parts=hold.parts if hold else (),
            )
        )
        made.append(Reserved(reservation, applied.member))
        return {"reservation_id": hold_id}

    result = await run_once(
        deps, tenant, f"reserve:{member.id}", idempotency_key, fingerprint, perform
    )
    if made:
        return made[0]
    return await _answer(deps, tenant, str(result["reservation_id"]), member.id)


async def _answer(deps: Deps, tenant: Tenant, rid: str, member_id: str) -> Reserved:
    reservation = await deps.reservations.get(tenant.slug, rid)
    fresh = await deps.members.get(tenant.slug, member_id)
    assert reservation is not None and fresh is not None
    return Reserved(reservation, fresh)


async def release_points(
    deps: Deps, tenant: Tenant, *, reservation_id: str, member_id: str | None
) -> Reserved:
    """Gives held points back (member: their own reservation; events key: any). Releasing
    again, or after expiry or capture, is refused with the reason and changes nothing."""
    reservation = await find_reservation(deps, tenant, reservation_id, member_id, FIELD)
    status = reservation.status_at(deps.clock.now())
    if status is not ReservationStatus.HELD:
        raise refusal(reservation, status, FIELD)
    op_id = f"release:{reservation.id}"

    def operation(state: WalletState) -> WalletChange:
        return release_hold(state, deps.clock.now(), op_id=op_id, hold_id=reservation.id)

    try:
        # A replay (an earlier attempt released it, then stopped) only finishes the record.
        await move(deps, tenant.slug, reservation.member_id, op_id, operation)
    except HoldMissing:
        raise await settled_elsewhere(deps, tenant, reservation, FIELD) from None
    await deps.reservations.settle(
        tenant.slug, reservation.id, ReservationStatus.RELEASED, deps.clock.now()
    )
    return await _answer(deps, tenant, reservation.id, reservation.member_id)
