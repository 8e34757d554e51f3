"""One verified delivery from a connected store: handled once per delivery id, whatever kind
of event it carries."""

from __future__ import annotations

import logging

from loyalty.ports import Deps
from loyalty.store_events import (
    Delivery,
    OrderState,
    StoreCustomerEvent,
    StoreOrder,
    StoreRefund,
    UnknownEvent,
)
from loyalty.store_inbox import OrderNews, ReportedTotal, StoreRefundFact
from loyalty.stores import StoreConnection, StorePlatform
from loyalty.tenants import Tenant
from loyalty.usecases.customers import enrol_customer
from loyalty.usecases.store_orders import Outcome, apply_order_news

log = logging.getLogger("loyalty.stores")


async def receive_delivery(
    deps: Deps, tenant: Tenant, connection: StoreConnection, delivery: Delivery
) -> Outcome:
    platform = connection.platform
    if await deps.store_deliveries.seen(tenant.slug, platform, delivery.delivery_id):
        return Outcome("duplicate")
    outcome = await _handle(deps, tenant, connection, delivery)
    # Noted only once handled: a delivery that failed half way is handled again on retry
    # (every step is idempotent), never skipped.
    await deps.store_deliveries.note(
        tenant.slug, platform, delivery.delivery_id, delivery.kind, deps.clock.now()
    )
    await deps.store_connections.count_event(
        tenant.slug, platform, accepted=True, at=deps.clock.now()
    )
    return outcome


async def _handle(
    deps: Deps, tenant: Tenant, connection: StoreConnection, delivery: Delivery
) -> Outcome:
    event = delivery.event
    if isinstance(event, StoreOrder):
        delivered_at = event.delivered_at
        if event.state is OrderState.DELIVERED and delivered_at is None:
            delivered_at = event.occurred_at
        current = event.amounts if event.total_is_current else None
        news = OrderNews(
            state=event.state,
            at=event.occurred_at,
            customer=event.customer,
            amounts=event.amounts,
            lines=event.lines,
            placed_at=event.placed_at,
            delivered_at=delivered_at,
            total=None if current is None else ReportedTotal(current, event.occurred_at),
            points_reservation_id=event.points_reservation_id,
        )
        return await apply_order_news(deps, tenant, connection, event.order_id, news)
    if isinstance(event, StoreRefund):
        fact = StoreRefundFact(event.refund_id, event.amount, event.occurred_at)
        return await apply_order_news(
            deps, tenant, connection, event.order_id, OrderNews(refund=fact)
        )
    if isinstance(event, StoreCustomerEvent):
        await enrol_customer(deps, tenant, event.customer)
        return Outcome("applied")
    assert isinstance(event, UnknownEvent)
    log.info("store event %s from %s ignored: not a kind the program uses", event.kind, tenant.slug)
    return Outcome("ignored")


async def note_rejected(deps: Deps, tenant: str, platform: StorePlatform) -> None:
    await deps.store_connections.count_event(tenant, platform, accepted=False, at=deps.clock.now())
