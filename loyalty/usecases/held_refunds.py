"""Refunding an order that is held for a customer who is not a member yet (policy HOLD).

Nothing has been credited, so nothing is taken back now: the refund is kept on the held order.
A whole refund voids it (it never earns, even when the customer enrols); a partial one is
applied, under its own key, right after the order earns at enrolment. A refund racing the
enrolment lands on the order itself: the claim reads the held refunds only after recording
the order, and a refund that finds the order recorded applies to it directly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from loyalty.errors import DomainError, ErrorCode
from loyalty.orders import Order, Refund, check_refund_amount
from loyalty.ports import Deps
from loyalty.store_inbox import HeldOrder, HeldRefund
from loyalty.tenants import Tenant
from loyalty.usecases.held_orders import held_order
from loyalty.usecases.idempotency import run_once

# Refunds the recorded order under `key` by `value` (the order's own refund path).
ApplyToOrder = Callable[[Decimal], Awaitable[Mapping[str, Any]]]


def as_order(tenant: Tenant, held: HeldOrder) -> Order:
    """The held order as refundOrder reports it: what it will earn at the base rate, less
    what its refunds will take back (each as the recorded order's refund would)."""
    order = held_order(tenant, held, held.held_at)
    for refund in held.refunds:
        points = order.refund_points(refund.amount)
        order = replace(
            order, refunds=(*order.refunds, Refund(refund.key, refund.amount, points, refund.at))
        )
    return order


async def refund_held(
    deps: Deps,
    tenant: Tenant,
    held: HeldOrder,
    value: Decimal,
    fingerprint: str,
    key: str,
    apply_to_order: ApplyToOrder,
) -> Mapping[str, Any]:
    async def perform() -> Mapping[str, Any]:
        for _ in range(20):
            current = await deps.held_orders.get(tenant.slug, held.order_id)
            if current is None:  # claimed meanwhile: the order earns now
                return await _on_the_order(deps, tenant, held.order_id, value, apply_to_order)
            if any(r.key == key for r in current.refunds):
                break
            if current.voided:
                raise DomainError(ErrorCode.ORDER_FULLY_REFUNDED, ("input", "orderId"))
            check_refund_amount(value, current.refunded, current.total, current.currency)
            refund = HeldRefund(key, value, deps.clock.now())
            if await deps.held_orders.add_refund(current, refund):
                break
        else:
            raise DomainError(ErrorCode.IN_PROGRESS, ("input", "idempotencyKey"))
        if await deps.orders.get(tenant.slug, held.order_id) is not None:
            # Claimed while this refund was written: the claim may have read the refunds
            # before it, so it goes on the order (idempotent on its key either way).
            return await apply_to_order(value)
        after = await deps.held_orders.get(tenant.slug, held.order_id)
        order = as_order(tenant, after or held)
        taken = next((r.points for r in order.refunds if r.key == key), 0)
        return {"points": taken, "shortfall": 0, "returned": 0}

    return await run_once(deps, tenant, "refund", key, fingerprint, perform)


async def _on_the_order(
    deps: Deps, tenant: Tenant, order_id: str, value: Decimal, apply_to_order: ApplyToOrder
) -> Mapping[str, Any]:
    if await deps.orders.get(tenant.slug, order_id) is None:
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, ("input", "orderId"))
    return await apply_to_order(value)
