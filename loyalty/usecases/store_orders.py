"""Applying a store order's plan: record it at the connection's stage, start its return window
at delivery, take back refunds, void it when cancelled."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from loyalty.errors import DomainError, ErrorCode
from loyalty.money import currency_precision
from loyalty.orders import Order
from loyalty.pending_window import start_window_at
from loyalty.ports import Deps
from loyalty.store_events import OrderAmounts
from loyalty.store_inbox import OrderNews, StoreOrderFacts
from loyalty.store_orders import DropHeld, LowerTotal, Record, Refund, StartWindow, Void, plan
from loyalty.stores import OrderStage, StoreConnection
from loyalty.tenants import Tenant
from loyalty.usecases.moves import move
from loyalty.usecases.order_refunds import refund_order
from loyalty.usecases.orders import OrderLineInput, record_order

log = logging.getLogger("loyalty.stores")

# Store-side refusals that no retry of the same delivery can fix: answered 200 and logged, so
# the platform stops retrying (a 4xx/5xx would be retried for days to the same end).
_SETTLED_REFUSALS = frozenset(
    {
        ErrorCode.MEMBER_NOT_FOUND,
        ErrorCode.CONFLICT,
        ErrorCode.ORDER_TOO_OLD,
        ErrorCode.CURRENCY_MISMATCH,
        ErrorCode.INVALID_INPUT,
        ErrorCode.INVALID_AMOUNT,
        ErrorCode.INVALID_DECIMAL,
        ErrorCode.INVALID_CURRENCY,
        ErrorCode.OUT_OF_RANGE,
        # The storefront's points reservation can no longer pay for this order.
        ErrorCode.RESERVATION_NOT_FOUND,
        ErrorCode.RESERVATION_EXPIRED,
        ErrorCode.RESERVATION_RELEASED,
        ErrorCode.RESERVATION_CAPTURED,
    }
)


@dataclass(frozen=True)
class Outcome:
    """`status`: applied, waiting (for a later stage or the order's create), held (for a
    customer who is not a member yet), refused (with `code`)."""

    status: str
    code: str | None = None


async def apply_order_news(
    deps: Deps, tenant: Tenant, connection: StoreConnection, order_id: str, news: OrderNews
) -> Outcome:
    facts, _ = await deps.store_orders.merge(tenant.slug, connection.platform, order_id, news)
    return await settle_store_order(deps, tenant, connection.earn_on, facts)


async def settle_store_order(
    deps: Deps, tenant: Tenant, earn_on: OrderStage, facts: StoreOrderFacts
) -> Outcome:
    order = await deps.orders.get(tenant.slug, facts.order_id)
    steps = plan(facts, earn_on, recorded=order is not None)
    if not steps:  # earned already with nothing new, or not at its stage yet
        return Outcome("applied" if order is not None else "waiting")
    for step in steps:
        if isinstance(step, DropHeld):
            await deps.held_orders.release(tenant.slug, facts.order_id)
            return Outcome("applied")
        if isinstance(step, Record):
            try:
                order = await _record(deps, tenant, facts, step)
            except DomainError as exc:
                if exc.code not in _SETTLED_REFUSALS:
                    raise
                log.warning(
                    "store order %s of %s refused: %s (%s)",
                    facts.order_id,
                    tenant.slug,
                    exc.code.value,
                    exc.params,
                )
                return Outcome("refused", exc.code.value)
            if order is None:
                return Outcome("held")
        assert order is not None
        if isinstance(step, StartWindow):
            await _start_window(deps, tenant, order, step)
        elif isinstance(step, Refund | Void):
            order = await _refund(deps, tenant, order, facts, step)
        elif isinstance(step, LowerTotal):
            order = await _lower_total(deps, tenant, order, step)
    return Outcome("applied")


async def _record(deps: Deps, tenant: Tenant, facts: StoreOrderFacts, step: Record) -> Order | None:
    assert facts.customer is not None and facts.amounts is not None
    total = _earning_total(tenant, facts.amounts)
    items = [
        OrderLineInput(line.sku, line.category, line.quantity, str(line.unit_price))
        for line in facts.lines
    ]
    now = deps.clock.now()
    recorded = await record_order(
        deps,
        tenant,
        member_external_id=facts.customer.customer_id,
        order_id=facts.order_id,
        total=str(total),
        currency=facts.amounts.currency,
        items=items or None,
        placed_at=min(step.placed_at, now),
        pending_from=min(step.pending_from, now) if step.pending_from else None,
        customer=facts.customer,
        points_reservation_id=facts.points_reservation_id,
    )
    return None if recorded.member is None else recorded.order


def _earning_total(tenant: Tenant, amounts: OrderAmounts) -> Decimal:
    exponent = Decimal(1).scaleb(-currency_precision(amounts.currency.upper()))
    # Platforms send amounts unrounded (Zid: 14 decimals): the currency's minor unit, down.
    return amounts.earning_total(tenant.program.order_total_basis).quantize(
        exponent, rounding=ROUND_DOWN
    )


async def _start_window(deps: Deps, tenant: Tenant, order: Order, step: StartWindow) -> None:
    available_at = tenant.program.available_at(min(step.delivered_at, deps.clock.now()))
    await move(
        deps,
        tenant.slug,
        order.member_id,
        f"window:{order.order_id}",
        lambda state: start_window_at(
            state, deps.clock.now(), order_id=order.order_id, available_at=available_at
        ),
    )


async def _refund(
    deps: Deps, tenant: Tenant, order: Order, facts: StoreOrderFacts, step: Refund | Void
) -> Order:
    if any(r.key == step.key for r in order.refunds) or order.refunded >= order.total:
        return order
    amount = None if isinstance(step, Void) else _in_order_terms(order, facts, step.amount)
    if amount is not None and amount <= 0:
        return order
    try:
        result = await refund_order(
            deps,
            tenant,
            order_id=order.order_id,
            amount=None if amount is None else str(amount),
            idempotency_key=step.key,
        )
    except DomainError as exc:
        if exc.code is not ErrorCode.ORDER_FULLY_REFUNDED:
            raise
        return order
    return result.order


async def _lower_total(deps: Deps, tenant: Tenant, order: Order, step: LowerTotal) -> Order:
    """What is left of the order comes down to the total the store reports now: the
    difference is a partial refund (the whole of it, when the store reports zero)."""
    if any(r.key == step.key for r in order.refunds) or order.refunded >= order.total:
        return order
    if step.amounts.currency.upper() != order.currency:
        return order  # another currency than it earned in: not comparable
    amount = order.total - order.refunded - _earning_total(tenant, step.amounts)
    if amount <= 0:
        return order  # the same total, or higher: an edit earns nothing more afterwards
    try:
        result = await refund_order(
            deps, tenant, order_id=order.order_id, amount=str(amount), idempotency_key=step.key
        )
    except DomainError as exc:
        if exc.code is not ErrorCode.ORDER_FULLY_REFUNDED:
            raise
        return order
    return result.order


def _in_order_terms(order: Order, facts: StoreOrderFacts, amount: Decimal | None) -> Decimal | None:
    """A store refund in the order's recorded terms: scaled when the order earned on its total
    net of shipping and tax, and never more than what is left to refund (a refund that covers
    shipping the order never earned on takes back at most the rest)."""
    left = order.total - order.refunded
    if amount is None:
        return None
    reported = facts.amounts.total if facts.amounts is not None else order.total
    scaled = amount if reported == order.total or reported <= 0 else amount * order.total / reported
    exponent = Decimal(1).scaleb(-currency_precision(order.currency))
    scaled = scaled.quantize(exponent, rounding=ROUND_HALF_UP)
    return None if scaled >= left else scaled


async def follow_up_claimed(deps: Deps, tenant: Tenant, order_id: str) -> None:
    """A held order just earned: apply what its store said about it meanwhile."""
    for facts in await deps.store_orders.for_order(tenant.slug, order_id):
        await settle_store_order(deps, tenant, OrderStage.CREATED, facts)
