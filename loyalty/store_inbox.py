"""What the program keeps of store events between deliveries: orders held for customers who
are not members yet, each store order's known facts (so events may arrive in any order), and
the deliveries already handled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from loyalty.earning import OrderLine
from loyalty.store_events import OrderAmounts, OrderState, StoreCustomer
from loyalty.stores import StorePlatform


@dataclass(frozen=True)
class HeldRefund:
    """A refund of a held order, applied (under its own key) once the order earns."""

    key: str
    amount: Decimal
    at: datetime


@dataclass(frozen=True)
class HeldOrder:
    """An order kept unclaimed (policy HOLD) until customer `external_id` enrols; then it is
    recorded with its own dates, so its points keep their original expiry. Refunds made
    meanwhile wait in `refunds`: a whole refund means it never earns."""

    tenant: str
    external_id: str
    order_id: str
    total: Decimal
    currency: str
    lines: tuple[OrderLine, ...]
    placed_at: datetime
    pending_from: datetime | None
    held_at: datetime
    refunds: tuple[HeldRefund, ...] = ()

    @property
    def refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), Decimal(0))

    @property
    def voided(self) -> bool:
        return self.refunded >= self.total


class HeldOrderRepository(Protocol):
    async def hold(self, order: HeldOrder) -> HeldOrder:
        """Idempotent on (tenant, order id): a retry gets the first one back."""
        ...

    async def get(self, tenant: str, order_id: str) -> HeldOrder | None: ...
    async def add_refund(self, held: HeldOrder, refund: HeldRefund) -> bool:
        """Conditional on the refunds read with `held`: two concurrent refunds cannot both pass
        the 'not more than the order total' check. False when it changed (or was claimed)."""
        ...

    async def for_customer(self, tenant: str, external_id: str) -> list[HeldOrder]: ...
    async def release(self, tenant: str, order_id: str) -> None: ...


@dataclass(frozen=True)
class StoreRefundFact:
    refund_id: str
    amount: Decimal | None  # None: whatever is left of the order
    at: datetime


@dataclass(frozen=True)
class ReportedTotal:
    """The order's amounts as the store reported them at `at` (platforms whose total follows
    refunds): the latest one is what the customer pays now."""

    amounts: OrderAmounts
    at: datetime


@dataclass(frozen=True)
class StoreOrderFacts:
    """Everything the store said about one order so far, merged whatever the arrival order:
    the latest full snapshot (customer and amounts), when each state was first reported, the
    delivery time, and each refund once."""

    tenant: str
    platform: StorePlatform
    order_id: str
    customer: StoreCustomer | None = None
    amounts: OrderAmounts | None = None
    lines: tuple[OrderLine, ...] = ()
    placed_at: datetime | None = None
    states: dict[OrderState, datetime] = field(default_factory=dict)
    delivered_at: datetime | None = None
    refunds: tuple[StoreRefundFact, ...] = ()
    totals: tuple[ReportedTotal, ...] = ()
    points_reservation_id: str | None = None

    @property
    def current_total(self) -> ReportedTotal | None:
        """The latest reported total; at the same instant the lower one (never credit more)."""
        return max(self.totals, key=lambda t: (t.at, -t.amounts.total), default=None)


@dataclass(frozen=True)
class OrderNews:
    """One event's contribution to an order's facts."""

    state: OrderState | None = None
    at: datetime | None = None
    customer: StoreCustomer | None = None
    amounts: OrderAmounts | None = None
    lines: tuple[OrderLine, ...] = ()
    placed_at: datetime | None = None
    delivered_at: datetime | None = None
    refund: StoreRefundFact | None = None
    total: ReportedTotal | None = None
    points_reservation_id: str | None = None


class StoreOrderRepository(Protocol):
    async def merge(
        self, tenant: str, platform: StorePlatform, order_id: str, news: OrderNews
    ) -> tuple[StoreOrderFacts, bool]:
        """Adds the news atomically; returns the facts after, and whether anything was new
        (a state or refund already known, with the same snapshot, changes nothing)."""
        ...

    async def for_order(self, tenant: str, order_id: str) -> list[StoreOrderFacts]: ...


class DeliveryLog(Protocol):
    async def seen(self, tenant: str, platform: StorePlatform, delivery_id: str) -> bool: ...
    async def note(
        self, tenant: str, platform: StorePlatform, delivery_id: str, kind: str, at: datetime
    ) -> None: ...
