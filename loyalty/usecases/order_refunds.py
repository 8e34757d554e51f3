"""Refunding orders: by amount or in full, once per idempotency key, clawing back the points
the refunded part earned; a held order's refund waits for the order to earn."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from loyalty.errors import DomainError, ErrorCode
from loyalty.lots import HeldPart
from loyalty.members import Member
from loyalty.money import parse_amount, parse_decimal
from loyalty.orders import Order, Refund, check_refund_amount, request_fingerprint
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.captures import parts_returned, points_returned, refund_operation
from loyalty.usecases.held_refunds import as_order, refund_held
from loyalty.usecases.idempotency import run_once
from loyalty.usecases.moves import move
from loyalty.usecases.orders import check_order_id
from loyalty.usecases.refund_bonuses import take_back_order_bonuses


@dataclass(frozen=True)
class RefundResult:
    """`member` is None when the order is held for a customer who is not a member yet."""

    order: Order
    member: Member | None
    points_reversed: int
    shortfall: int
    points_returned: int = 0


def _refund_request(
    order_id: str, amount: str | None, left: Decimal, currency: str
) -> tuple[Decimal, str]:
    """The amount refunded (all that is `left` when none is given) and the request's
    fingerprint: a whole refund is "full" whatever is left when a retry arrives."""
    if amount is None:
        return left, request_fingerprint(order_id, "full")
    value = parse_amount(parse_decimal(amount, ("input", "amount")), currency, ("input", "amount"))
    return value, request_fingerprint(order_id, value.normalize())


async def refund_order(
    deps: Deps, tenant: Tenant, *, order_id: str, amount: str | None, idempotency_key: str
) -> RefundResult:
    check_order_id(order_id, ("input", "orderId"))
    order = await deps.orders.get(tenant.slug, order_id)
    if order is None:
        return await _refund_held_order(deps, tenant, order_id, amount, idempotency_key)
    value, fingerprint = _refund_request(
        order_id, amount, order.total - order.refunded, order.currency
    )

    async def perform() -> dict[str, object]:
        return await _perform_refund(deps, tenant, order_id, value, idempotency_key)

    result = await run_once(deps, tenant, "refund", idempotency_key, fingerprint, perform)
    fresh = await deps.orders.get(tenant.slug, order_id)
    assert fresh is not None
    # After the refund is recorded, so a retry finishes what a failure here left.
    await take_back_order_bonuses(deps, tenant, fresh)
    member = await deps.members.get(tenant.slug, order.member_id)
    assert member is not None
    return _answer(fresh, member, result)


async def _refund_held_order(
    deps: Deps, tenant: Tenant, order_id: str, amount: str | None, key: str
) -> RefundResult:
    held = await deps.held_orders.get(tenant.slug, order_id)
    if held is None:
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, ("input", "orderId"))
    value, fingerprint = _refund_request(
        order_id, amount, held.total - held.refunded, held.currency
    )

    async def apply_to_order(value: Decimal) -> dict[str, object]:
        return await _perform_refund(deps, tenant, order_id, value, key)

    result = await refund_held(deps, tenant, held, value, fingerprint, key, apply_to_order)
    recorded = await deps.orders.get(tenant.slug, order_id)
    if recorded is not None:  # claimed meanwhile: the refund went on the order
        await take_back_order_bonuses(deps, tenant, recorded)
        member = await deps.members.get(tenant.slug, recorded.member_id)
        shown = recorded
    else:
        member = None
        shown = as_order(tenant, await deps.held_orders.get(tenant.slug, order_id) or held)
    return _answer(shown, member, result)


def _answer(order: Order, member: Member | None, result: Mapping[str, object]) -> RefundResult:
    """The refund as recorded (the same on a retry: `result` is the idempotency record's)."""
    return RefundResult(
        order,
        member,
        int(str(result["points"])),
        int(str(result["shortfall"])),
        int(str(result.get("returned", 0))),
    )


async def apply_held_refund(
    deps: Deps, tenant: Tenant, order_id: str, value: Decimal, key: str
) -> None:
    """A refund made while the order was held, applied once it earned (outside the
    idempotency record: that one answered the refund when it was made)."""
    try:
        await _perform_refund(deps, tenant, order_id, value, key)
    except DomainError as exc:
        if exc.code is not ErrorCode.ORDER_FULLY_REFUNDED:
            raise
    fresh = await deps.orders.get(tenant.slug, order_id)
    if fresh is not None:
        await take_back_order_bonuses(deps, tenant, fresh)


async def _perform_refund(
    deps: Deps, tenant: Tenant, order_id: str, value: Decimal, key: str
) -> dict[str, object]:
    op_id = f"refund:{key}"
    for _ in range(20):
        order = await deps.orders.get(tenant.slug, order_id)
        assert order is not None
        recorded = next((r for r in order.refunds if r.key == key), None)
        if recorded is not None:
            break
        if order.refunded >= order.total:
            raise DomainError(ErrorCode.ORDER_FULLY_REFUNDED, ("input", "orderId"))
        check_refund_amount(value, order.refunded, order.total, order.currency)
        refund = Refund(
            key, value, order.refund_points(value), deps.clock.now(), points_returned(order, value)
        )
        if await deps.orders.add_refund(order, refund):
            recorded = refund
            break
    else:
        raise DomainError(ErrorCode.IN_PROGRESS, ("input", "idempotencyKey"))
    parts: tuple[HeldPart, ...] = ()
    if recorded.points_returned:
        latest = await deps.orders.get(tenant.slug, order_id)
        assert latest is not None
        parts = await parts_returned(deps, tenant, latest, key)
    applied = await move(
        deps,
        tenant.slug,
        order.member_id,
        op_id,
        refund_operation(deps, op_id, order_id, recorded.points, parts),
    )
    clawed = next(e for e in applied.entries if e.reason.key == "reason.refund")
    return {
        "points": -clawed.points,
        "shortfall": clawed.shortfall,
        "returned": recorded.points_returned,
    }
