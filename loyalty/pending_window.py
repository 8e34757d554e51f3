"""Moving an order's return window to start at delivery, for stores that report delivery
after the order already earned (earning on CREATED or PAID)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from loyalty.lots import WalletChange, WalletState


def start_window_at(
    state: WalletState, now: datetime, *, order_id: str, available_at: datetime
) -> WalletChange:
    """Pushes the order's still-pending lots to become spendable at `available_at`.

    Only later, never earlier, and only lots that are pending now: a lot that is already
    spendable (even if settlement has not written its RELEASE yet) may have been spent, so
    its points never go back to pending. Writes no ledger entry: the pending figure is
    unchanged, only the day it ends moves."""
    lots = tuple(
        replace(lot, available_at=available_at)
        if lot.order_id == order_id
        and not lot.released
        and lot.remaining > 0
        and now < lot.available_at < available_at
        else lot
        for lot in state.lots
    )
    return WalletChange(state=replace(state, lots=lots), entries=())
