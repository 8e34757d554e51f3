"""What to do about a store order, from everything the store said about it so far.

The plan is computed from the merged facts, not from the event that just arrived, so events
may arrive in any order and any number of times: a refund before its order waits in the facts
and is applied once the order earns; a status change before the create waits for the
create's amounts. Every step is idempotent, so planning again after a retry is harmless."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from loyalty.store_events import OrderAmounts, OrderState
from loyalty.store_inbox import StoreOrderFacts
from loyalty.stores import OrderStage


@dataclass(frozen=True)
class Record:
    placed_at: datetime
    pending_from: datetime | None


@dataclass(frozen=True)
class StartWindow:
    delivered_at: datetime


@dataclass(frozen=True)
class Refund:
    key: str
    amount: Decimal | None


@dataclass(frozen=True)
class LowerTotal:
    """The store now reports the order at `amounts` (Salla and Zid lower an order's total when
    part of it is refunded or removed): what is left of the order comes down to it. One key
    per reported total, so a redelivery, or an older report arriving late, changes nothing."""

    key: str
    amounts: OrderAmounts


@dataclass(frozen=True)
class Void:
    """The order was cancelled (or refunded whole) after it earned: take back what is left."""

    key: str


@dataclass(frozen=True)
class DropHeld:
    """Cancelled before it earned: it never will, even if its customer enrols later."""


Step = Record | StartWindow | Refund | LowerTotal | Void | DropHeld

_ENDED = (OrderState.CANCELLED, OrderState.REFUNDED)


def reached(facts: StoreOrderFacts) -> OrderStage | None:
    stages = [s.stage for s in facts.states if s.stage is not None]
    return max(stages, key=lambda s: s.rank, default=None)


def plan(facts: StoreOrderFacts, earn_on: OrderStage, *, recorded: bool) -> list[Step]:
    ended = any(state in facts.states for state in _ENDED)
    prefix = f"store:{facts.platform.path}:{facts.order_id}"
    steps: list[Step] = []
    if not recorded:
        if ended or _refunded_whole(facts):
            return [DropHeld()]
        stage = reached(facts)
        if stage is None or stage.rank < earn_on.rank:
            return []
        if facts.customer is None or facts.amounts is None:
            return []  # a status before its create: wait for the amounts
        steps.append(Record(_placed_at(facts), facts.delivered_at))
    if facts.delivered_at is not None:
        steps.append(StartWindow(facts.delivered_at))
    steps += [Refund(f"{prefix}:refund:{r.refund_id}", r.amount) for r in facts.refunds]
    current = facts.current_total
    if current is not None:
        total = current.amounts.total.normalize()
        steps.append(LowerTotal(f"{prefix}:total:{total:f}", current.amounts))
    if ended:
        steps.append(Void(f"{prefix}:void"))
    return steps


def _refunded_whole(facts: StoreOrderFacts) -> bool:
    """Refunded in full before it earned: like a cancellation, it never earns."""
    if any(r.amount is None for r in facts.refunds):
        return True
    refunded = sum((r.amount or Decimal(0) for r in facts.refunds), Decimal(0))
    return facts.amounts is not None and refunded >= facts.amounts.total > 0


def _placed_at(facts: StoreOrderFacts) -> datetime:
    if facts.placed_at is not None:
        return facts.placed_at
    return min(facts.states.values())
