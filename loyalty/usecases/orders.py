"""Recording orders, idempotent on the merchant's order id (refunds: order_refunds.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from loyalty.earn_campaigns import joined_names
from loyalty.earning import OrderLine
from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n.money import Currency, Money
from loyalty.ledger import Reason, TransactionType
from loyalty.members import Member
from loyalty.money import parse_amount, parse_currency
from loyalty.orders import Order, request_fingerprint
from loyalty.ports import Deps, WalletOperation
from loyalty.store_events import StoreCustomer
from loyalty.tenants import Tenant
from loyalty.usecases.captures import (
    capture_for_order,
)
from loyalty.usecases.engagement import record_order_effects
from loyalty.usecases.held_orders import UnknownCustomerOrder, held_order, member_for_order
from loyalty.usecases.order_earning import order_earning
from loyalty.wallet import earn

MAX_ORDER_ID = 128
MAX_LINES = 500
MAX_QUANTITY = 100_000


@dataclass(frozen=True)
class OrderLineInput:
    sku: str
    category: str | None
    quantity: int
    unit_price: str


@dataclass(frozen=True)
class RecordedOrder:
    """`member` is None when the order is held for a customer who is not a member yet."""

    order: Order
    member: Member | None


def check_order_id(order_id: str, field: tuple[str, ...]) -> str:
    if not order_id or len(order_id) > MAX_ORDER_ID or not order_id.isprintable():
        raise DomainError(ErrorCode.INVALID_INPUT, field, detail="orderId")
    return order_id


def order_lines(items: list[OrderLineInput] | None, currency: str) -> tuple[OrderLine, ...]:
    if not items:
        return ()
    if len(items) > MAX_LINES:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "items"), min=0, max=MAX_LINES)
    lines = []
    for index, item in enumerate(items):
        field = ("input", "items", str(index))
        if not 1 <= item.quantity <= MAX_QUANTITY:
            raise DomainError(ErrorCode.OUT_OF_RANGE, (*field, "quantity"), min=1, max=MAX_QUANTITY)
        if not item.sku or len(item.sku) > MAX_ORDER_ID:
            raise DomainError(ErrorCode.INVALID_INPUT, (*field, "sku"), detail="sku")
        price = parse_amount(item.unit_price, currency, (*field, "unitPrice"), allow_zero=True)
        lines.append(OrderLine(item.sku, item.category, item.quantity, price))
    return tuple(lines)


async def record_order(
    deps: Deps,
    tenant: Tenant,
    *,
    member_external_id: str,
    order_id: str,
    total: str,
    currency: str,
    items: list[OrderLineInput] | None,
    placed_at: datetime | None,
    backfill: bool = False,
    pending_from: datetime | None = None,
    customer: StoreCustomer | None = None,
    points_reservation_id: str | None = None,
) -> RecordedOrder:
    """`backfill`: history loaded on purpose (the demo's expired points), so an order older
    than the expiry window is recorded, its points expired, instead of refused.
    `pending_from`: when the return window starts if not at `placed_at` (a store's delivery).
    `customer`: what the store knows of an unknown customer, for the ENROL policy.
    `points_reservation_id`: the order was paid partly with those held points; it captures
    them first, and is refused (nothing recorded) when they can no longer be captured."""
    program = tenant.program
    now = deps.clock.now()
    check_order_id(order_id, ("input", "orderId"))
    code = parse_currency(currency, ("input", "currency"))
    if code != program.currency:
        raise DomainError(
            ErrorCode.CURRENCY_MISMATCH,
            ("input", "currency"),
            currency=Currency(code),
            expected=Currency(program.currency),
        )
    amount = parse_amount(total, code, ("input", "total"))
    lines = order_lines(items, code)
    placed = placed_at or now
    if placed > now:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "placedAt"), detail="placedAt")
    expires = program.expires_at(placed)
    # Its points would be born expired: credited, then gone, with nothing said. But an order
    # recorded while it was young is a retry, answered as the first time however old (the
    # look-up costs a read only on this rare path).
    born_expired = expires is not None and expires <= now and not backfill
    if born_expired and await deps.orders.get(tenant.slug, order_id) is None:
        raise DomainError(
            ErrorCode.ORDER_TOO_OLD, ("input", "placedAt"), months=program.expiry_months
        )
    read = await deps.members.read_by_external_id(tenant.slug, member_external_id)
    if read is None:
        unknown = UnknownCustomerOrder(
            member_external_id, order_id, amount, code, lines, placed, pending_from, customer
        )
        read = await member_for_order(deps, tenant, unknown)
        if read is None:  # held until that customer enrols
            return RecordedOrder(held_order(tenant, unknown, now), None)
    member = read.member
    parts: tuple[object, ...] = (member.id, amount.normalize(), code)
    if points_reservation_id is not None:
        parts = (*parts, points_reservation_id)
    fingerprint = request_fingerprint(*parts)
    points_paid = 0
    if points_reservation_id is not None:
        points_paid = await _pay_with_points(
            deps, tenant, order_id, fingerprint, points_reservation_id, member.id
        )
    # The order that crosses a threshold still earns at the tier held when it was placed.
    earning = await order_earning(deps, tenant, member, amount, lines, now=now, placed_at=placed)
    points = earning.points
    available_at = program.available_at(pending_from or placed)
    order = Order(
        tenant=tenant.slug,
        order_id=order_id,
        member_id=member.id,
        total=amount,
        currency=code,
        lines=lines,
        placed_at=placed,
        points=points,
        pending=available_at > now and points > 0,
        request_hash=fingerprint,
        pending_from=pending_from,
        points_reservation_id=points_reservation_id,
        points_paid=points_paid,
        campaigns=joined_names(earning.campaigns) if earning.campaigns else None,
    )
    # The order's insert is the gate: a retry finds it (the insert fails on its key) and
    # finishes what the first attempt may have left, which is idempotent.
    stored, created = await deps.orders.insert(order)
    if not created and stored.request_hash != fingerprint:
        raise _order_conflict(stored, order, member_external_id)
    # On the first attempt the order document was just created, so no earlier attempt can
    # have credited it; a replay asks the ledger.
    credit = _credit(deps, tenant, stored) if stored.points > 0 else None
    after = await record_order_effects(deps, tenant, stored, read, credit, first_attempt=created)
    return RecordedOrder(stored, after)


async def _pay_with_points(
    deps: Deps, tenant: Tenant, order_id: str, fingerprint: str, rid: str, member_id: str
) -> int:
    """Captures the reservation before the order is stored. A stored order captures nothing:
    a retry reads what it paid, another order under its id is refused as CONFLICT below."""
    stored = await deps.orders.get(tenant.slug, order_id)
    if stored is not None:
        return stored.points_paid if stored.request_hash == fingerprint else 0
    return (await capture_for_order(deps, tenant, rid, member_id, order_id)).points


def _order_conflict(stored: Order, sent: Order, member_external_id: str) -> DomainError:
    """CONFLICT naming what the retry changed: a merchant resending an order id usually sent
    another order under a reused id, or the same order with an edited total."""
    differences = []
    if stored.member_id != sent.member_id:
        differences.append("memberExternalId")
    if stored.total.normalize() != sent.total.normalize():
        differences.append("total")
    if stored.currency != sent.currency:
        differences.append("currency")
    if stored.points_reservation_id != sent.points_reservation_id:
        differences.append("pointsReservationId")
    return DomainError(
        ErrorCode.CONFLICT,
        ("input", "orderId"),
        variant="order",
        order_id=stored.order_id,
        fields=differences,
        total=Money(stored.total, stored.currency),
    )


def _credit(deps: Deps, tenant: Tenant, order: Order) -> WalletOperation:
    program = tenant.program
    return lambda state: earn(
        state,
        deps.clock.now(),
        op_id=f"order:{order.order_id}",
        points=order.points,
        type_=TransactionType.EARN,
        reason=_order_reason(order),
        earned_at=order.placed_at,
        available_at=program.available_at(order.window_start),
        expires_at=program.expires_at(order.placed_at),
        order_id=order.order_id,
    )


def _order_reason(order: Order) -> Reason:
    if order.campaigns is None:
        return Reason("reason.order", {"order_id": order.order_id})
    names = {"campaign_ar": order.campaigns.ar or "", "campaign_en": order.campaigns.en or ""}
    return Reason("reason.order_campaign", {"order_id": order.order_id, **names})
