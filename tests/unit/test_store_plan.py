"""The plan for a store order, from its merged facts: pure, so any arrival order gives the
same plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from integrations.payloads import reservation_in_note
from loyalty.lots import Lot, WalletState
from loyalty.pending_window import start_window_at
from loyalty.store_events import OrderAmounts, OrderState, StoreCustomer
from loyalty.store_inbox import ReportedTotal, StoreOrderFacts, StoreRefundFact
from loyalty.store_orders import (
    DropHeld,
    LowerTotal,
    Record,
    Refund,
    StartWindow,
    Void,
    plan,
)
from loyalty.stores import OrderStage, StorePlatform

T0 = datetime(2026, 1, 13, 9, tzinfo=UTC)


def facts(*states: OrderState, **extra: object) -> StoreOrderFacts:
    base: dict[str, object] = {
        "tenant": "acme",
        "platform": StorePlatform.SHOPIFY,
        "order_id": "o1",
        "customer": StoreCustomer("c1"),
        "amounts": OrderAmounts(Decimal(100), "SAR"),
        "placed_at": T0,
        "states": {s: T0 + timedelta(hours=i) for i, s in enumerate(states)},
    }
    base.update(extra)
    return StoreOrderFacts(**base)  # type: ignore[arg-type]


def test_an_order_earns_once_it_reaches_the_stage() -> None:
    assert plan(facts(OrderState.CREATED), OrderStage.PAID, recorded=False) == []
    assert plan(facts(OrderState.PAID), OrderStage.PAID, recorded=False) == [Record(T0, None)]
    # a delivered order was paid, whatever the store said before
    delivered = facts(OrderState.DELIVERED, delivered_at=T0)
    assert plan(delivered, OrderStage.PAID, recorded=False) == [
        Record(T0, T0),
        StartWindow(T0),
    ]


def test_a_status_before_its_amounts_waits() -> None:
    bare = facts(OrderState.PAID, customer=None, amounts=None)
    assert plan(bare, OrderStage.CREATED, recorded=False) == []


def test_refunds_wait_for_the_order_then_apply_each_once() -> None:
    refund = StoreRefundFact("r1", Decimal(30), T0)
    early = facts(refunds=(refund,))
    assert plan(early, OrderStage.PAID, recorded=False) == []
    paid = facts(OrderState.PAID, refunds=(refund,))
    assert plan(paid, OrderStage.PAID, recorded=False) == [
        Record(T0, None),
        Refund("store:shopify:o1:refund:r1", Decimal(30)),
    ]


def test_cancelled_before_earning_drops_and_after_earning_voids() -> None:
    cancelled = facts(OrderState.CREATED, OrderState.CANCELLED)
    assert plan(cancelled, OrderStage.CREATED, recorded=False) == [DropHeld()]
    assert plan(cancelled, OrderStage.CREATED, recorded=True) == [Void("store:shopify:o1:void")]


def test_the_window_moves_only_later_and_only_for_pending_lots() -> None:
    now = T0 + timedelta(days=2)
    lot = Lot("l1", 100, 100, T0, T0 + timedelta(days=14), None, False, "order:o1", "o1")
    spent = Lot("l2", 50, 50, T0, T0 + timedelta(days=1), None, False, "order:o2", "o2")
    state = WalletState(seq=1, lots=(lot, spent), pending=150)
    later = T0 + timedelta(days=16)
    moved = start_window_at(state, now, order_id="o1", available_at=later).state
    assert moved.lots[0].available_at == later
    assert (
        start_window_at(moved, now, order_id="o1", available_at=T0 + timedelta(days=15)).state
        == moved
    )
    # a lot already spendable stays spendable
    kept = start_window_at(state, now, order_id="o2", available_at=later).state
    assert kept.lots[1].available_at == T0 + timedelta(days=1)


def test_a_whole_refund_before_earning_drops_the_order() -> None:
    whole = facts(OrderState.PAID, refunds=(StoreRefundFact("r1", None, T0),))
    assert plan(whole, OrderStage.PAID, recorded=False) == [DropHeld()]
    adds_up = (StoreRefundFact("r1", Decimal(60), T0), StoreRefundFact("r2", Decimal(40), T0))
    assert plan(facts(OrderState.PAID, refunds=adds_up), OrderStage.PAID, recorded=False) == [
        DropHeld()
    ]


def test_the_latest_reported_total_is_the_one_the_order_comes_down_to() -> None:
    def total(amount: str, hours: int) -> ReportedTotal:
        return ReportedTotal(OrderAmounts(Decimal(amount), "SAR"), T0 + timedelta(hours=hours))

    # the latest by the store's own time, whatever the arrival order
    reported = facts(
        OrderState.PAID,
        platform=StorePlatform.SALLA,
        totals=(total("100", 0), total("60", 2), total("80", 1)),
    )
    assert plan(reported, OrderStage.PAID, recorded=True) == [
        LowerTotal("store:salla:o1:total:60", OrderAmounts(Decimal(60), "SAR"))
    ]
    # at the same instant, the lower one: never credit more than the store may mean
    tie = facts(OrderState.PAID, totals=(total("70", 3), total("90", 3)))
    assert plan(tie, OrderStage.PAID, recorded=True) == [
        LowerTotal("store:shopify:o1:total:70", OrderAmounts(Decimal(70), "SAR"))
    ]


def test_a_reservation_is_read_from_a_note() -> None:
    assert reservation_in_note("gift wrap please; points_reservation_id=rsv_42, thanks") == (
        "rsv_42"
    )
    assert reservation_in_note("points_reservation_id: rsv_43") == "rsv_43"
    assert reservation_in_note("no reservation here") is None
    assert reservation_in_note(None) is None
