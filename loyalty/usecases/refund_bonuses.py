"""Refund-safe bonuses: a bonus paid because of an order is taken back when that order is
refunded in full inside its window (the program's pending days from when it was placed), so
a member cannot earn, refund and keep.

- badge bonuses (a first-order badge, a tier reached by the order, any order-based badge): the
  award remembers the order that reached it and the bonus it paid; the badge itself stays;
- campaign bonuses and multipliers are part of the order's own points, which the refund
  already takes back (all of them on a full refund);
- referral rewards are not paid before the referee's first order has kept its window.

Each take-back has a fixed operation id, so a retried refund never takes twice."""

from __future__ import annotations

from loyalty.ledger import Reason
from loyalty.orders import Order
from loyalty.ports import Deps, WalletOperation
from loyalty.tenants import Tenant
from loyalty.usecases.moves import move
from loyalty.wallet import claw_back


def refunded_in_window(order: Order, tenant: Tenant) -> bool:
    if not order.refunds or order.refunded < order.total:
        return False
    completed = max(refund.at for refund in order.refunds)
    return completed < tenant.program.available_at(order.placed_at)


def _take_back(deps: Deps, op_id: str, points: int, order_id: str) -> WalletOperation:
    return lambda state: claw_back(
        state,
        deps.clock.now(),
        op_id=op_id,
        points=points,
        order_id=order_id,
        reason=Reason("reason.bonus_refund", {"order_id": order_id}),
    )


async def take_back_order_bonuses(deps: Deps, tenant: Tenant, order: Order) -> int:
    """The bonus points taken back (0 when the order is not fully refunded in its window)."""
    if not refunded_in_window(order, tenant):
        return 0
    awards = await deps.badge_awards.for_member(tenant.slug, order.member_id)
    taken = 0
    for award in awards:
        if award.order_id != order.order_id or award.bonus_points <= 0 or not award.settled:
            continue
        op_id = f"bonus-back:{order.order_id}:{award.badge_id}"
        operation = _take_back(deps, op_id, award.bonus_points, order.order_id)
        applied = await move(deps, tenant.slug, order.member_id, op_id, operation)
        taken -= applied.entries[-1].points
    return taken
