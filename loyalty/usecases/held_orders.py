"""Orders from customers who are not members yet, as the program's policy says: enrol them
from what the order knows, hold the order until they enrol, or refuse it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from loyalty.earning import OrderLine, order_points
from loyalty.errors import DomainError, ErrorCode
from loyalty.members import Member
from loyalty.orders import Order, request_fingerprint
from loyalty.ports import Deps, MemberRead
from loyalty.store_events import StoreCustomer
from loyalty.store_inbox import HeldOrder
from loyalty.stores import UnknownCustomerPolicy
from loyalty.tenants import Tenant

log = logging.getLogger("loyalty.orders")


@dataclass(frozen=True)
class UnknownCustomerOrder:
    external_id: str
    order_id: str
    total: Decimal
    currency: str
    lines: tuple[OrderLine, ...]
    placed_at: datetime
    pending_from: datetime | None
    customer: StoreCustomer | None


async def member_for_order(
    deps: Deps, tenant: Tenant, unknown: UnknownCustomerOrder
) -> MemberRead | None:
    """The member an unknown customer's order earns for, or None when it is held."""
    policy = tenant.program.unknown_customer_orders
    if policy is UnknownCustomerPolicy.REFUSE:
        raise DomainError(ErrorCode.MEMBER_NOT_FOUND, ("input", "memberExternalId"))
    if policy is UnknownCustomerPolicy.ENROL:
        # Imported here: enrolment claims held orders, which records them through orders.
        from loyalty.usecases.customers import enrol_customer

        customer = unknown.customer or StoreCustomer(unknown.external_id)
        await enrol_customer(deps, tenant, customer)
    else:
        await deps.held_orders.hold(
            HeldOrder(
                tenant=tenant.slug,
                external_id=unknown.external_id,
                order_id=unknown.order_id,
                total=unknown.total,
                currency=unknown.currency,
                lines=unknown.lines,
                placed_at=unknown.placed_at,
                pending_from=unknown.pending_from,
                held_at=deps.clock.now(),
            )
        )
    read = await deps.members.read_by_external_id(tenant.slug, unknown.external_id)
    if read is not None and policy is UnknownCustomerPolicy.HOLD:
        # They enrolled between our first look and the hold: their enrolment may have claimed
        # before the hold existed, so this order earns now (recording is idempotent).
        await deps.held_orders.release(tenant.slug, unknown.order_id)
    return read


def held_order(tenant: Tenant, unknown: UnknownCustomerOrder | HeldOrder, now: datetime) -> Order:
    """The held order as recordOrder reports it: what it will earn at the base rate."""
    points = order_points(tenant.program, unknown.total, unknown.lines)
    return Order(
        tenant=tenant.slug,
        order_id=unknown.order_id,
        member_id="",
        total=unknown.total,
        currency=unknown.currency,
        lines=unknown.lines,
        placed_at=unknown.placed_at,
        points=points,
        pending=True,
        request_hash=request_fingerprint(unknown.external_id, unknown.total, unknown.currency),
        pending_from=unknown.pending_from,
    )


async def claim_held_orders(deps: Deps, tenant: Tenant, member: Member) -> int:
    """Records every order held for this new member, with its original dates (so its points
    expire when they would have), then applies what was refunded meanwhile (refundOrder) and
    what the store said since (refunds, a cancellation). A held order refunded whole never
    earns. Returns how many were claimed."""
    from loyalty.usecases.order_refunds import apply_held_refund
    from loyalty.usecases.orders import OrderLineInput, record_order
    from loyalty.usecases.store_orders import follow_up_claimed

    claimed = 0
    for held in await deps.held_orders.for_customer(tenant.slug, member.external_id):
        if held.voided:
            await deps.held_orders.release(tenant.slug, held.order_id)
            claimed += 1
            continue
        items = [
            OrderLineInput(line.sku, line.category, line.quantity, str(line.unit_price))
            for line in held.lines
        ]
        try:
            await record_order(
                deps,
                tenant,
                member_external_id=member.external_id,
                order_id=held.order_id,
                total=str(held.total),
                currency=held.currency,
                items=items or None,
                placed_at=held.placed_at,
                backfill=True,
                pending_from=held.pending_from,
            )
        except DomainError as exc:
            # The program changed currency since, or the order id was reused: the order can
            # no longer earn. Logged for the merchant's support, and let go.
            log.warning("held order %s not claimed: %s", held.order_id, exc.code.value)
        # Read again after recording: a refund written since is on this read, and a later
        # one finds the order recorded and goes on it directly.
        fresh = await deps.held_orders.get(tenant.slug, held.order_id) or held
        if await deps.orders.get(tenant.slug, held.order_id) is not None:
            for refund in fresh.refunds:
                await apply_held_refund(deps, tenant, held.order_id, refund.amount, refund.key)
        await deps.held_orders.release(tenant.slug, held.order_id)
        await follow_up_claimed(deps, tenant, held.order_id)
        claimed += 1
    return claimed
