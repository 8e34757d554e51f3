"""The model itself, on cases worked out by hand: if the model were wrong in the same way as
the product, the long test could not tell, so its calendar and wallet rules are pinned here."""

from __future__ import annotations

import ast
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.model.local_dates import expiry_moment, plus_months, start_of_local_day
from tests.model.program_model import period_of
from tests.model.wallet_model import ModelWallet, Rejected

CAIRO = ZoneInfo("Africa/Cairo")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
MODEL_MODULES = ("local_dates", "operations", "program_model", "scenario", "wallet_model")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 12, 15), 2, date(2025, 2, 15)),
        (date(2024, 11, 30), 24, date(2026, 11, 30)),
    ],
)
def test_months_are_calendar_months_with_the_day_clamped(
    day: date, months: int, expected: date
) -> None:
    assert plus_months(day, months) == expected


def test_a_day_whose_midnight_is_skipped_starts_when_the_clocks_jump() -> None:
    # Cairo, Friday 25 April 2025: 00:00 EET became 01:00 EEST (22:00 UTC the day before)
    assert start_of_local_day(date(2025, 4, 25), CAIRO) == at(2025, 4, 24, 22)


def test_a_day_starts_in_the_offset_it_starts_in() -> None:
    # London, Sunday 26 October 2025 begins in BST (the clocks go back at 02:00)
    assert start_of_local_day(date(2025, 10, 26), LONDON) == at(2025, 10, 25, 23)
    # Cairo, Friday 31 October 2025 begins in EET (the clocks went back at midnight)
    assert start_of_local_day(date(2025, 10, 31), CAIRO) == at(2025, 10, 30, 22)


def test_points_expire_at_the_start_of_the_local_day_after_the_months() -> None:
    # earned Saturday 1 February 2025, 11:30 in Auckland (NZDT, +13) -> last day 1 March,
    # expired from Sunday 2 March 00:00 NZDT
    assert expiry_moment(at(2025, 1, 31, 22, 30), AUCKLAND, 1) == at(2025, 3, 1, 11)
    # earned 9 February 2025 07:00 EST -> expired from 10 March 00:00 EDT (DST since 9 March)
    assert expiry_moment(at(2025, 2, 9, 12), NEW_YORK, 1) == at(2025, 3, 10, 4)
    assert expiry_moment(at(2025, 2, 9, 12), NEW_YORK, None) is None


def test_activity_caps_count_in_local_calendar_periods() -> None:
    # 23:30 UTC on Sunday 5 January 2025 is already Monday 6 January in Auckland
    moment = at(2025, 1, 5, 23, 30)
    assert period_of("DAY", moment, AUCKLAND) == "2025-01-06"
    assert period_of("WEEK", moment, AUCKLAND) == "2025-01-06"
    assert period_of("WEEK", moment, LONDON) == "2024-12-30"
    assert period_of("MONTH", moment, LONDON) == "2025-01-01"
    assert period_of("LIFETIME", moment, LONDON) == "all"


def _entries(wallet: ModelWallet) -> list[tuple[str, int, int, int]]:
    return [(e.type, e.points, e.balance_after, e.pending_after) for e in wallet.ledger]


def test_spending_takes_the_soonest_expiry_first_and_never_expiring_points_last() -> None:
    # given three spendable lots
    wallet = ModelWallet()
    now = at(2025, 3, 1)
    wallet.earn(now, 100, "ADJUST", now, now, None)
    wallet.earn(now, 50, "ADJUST", at(2025, 2, 1), at(2025, 2, 1), at(2025, 9, 1))
    wallet.earn(now, 30, "ADJUST", at(2025, 1, 1), at(2025, 1, 1), at(2025, 12, 1))
    # when 70 points are spent
    wallet.spend(now, 70, "REDEEM")
    # then
    assert [lot.remaining for lot in wallet.lots] == [100, 10]
    assert _entries(wallet)[-1] == ("REDEEM", -70, 110, 0)


def test_a_refund_takes_the_orders_own_points_then_other_pending_then_spendable() -> None:
    # given 40 spendable points, another order's 30 pending and this order's 20 pending
    wallet = ModelWallet()
    now = at(2025, 3, 1)
    wallet.earn(now, 40, "ADJUST", now, now, None)
    wallet.earn(now, 30, "EARN", now, at(2025, 3, 15), None, "other")
    wallet.earn(now, 20, "EARN", now, at(2025, 3, 15), None, "this")
    # when 100 points are taken back for "this"
    wallet.claw_back(now, 100, "this")
    # then everything went, pending first, and 10 are missing
    assert [lot.remaining for lot in wallet.lots] == [0, 0]
    assert _entries(wallet)[-1] == ("REFUND", -90, 0, 0)
    assert wallet.ledger[-1].shortfall == 10


def test_points_that_expire_while_pending_leave_pending() -> None:
    # given a lot pending until April that expires in March (issue 20 (b))
    wallet = ModelWallet()
    wallet.earn(at(2025, 1, 1), 25, "EARN", at(2025, 1, 1), at(2025, 4, 1), at(2025, 3, 1), "o")
    # when the wallet settles in May
    wallet.settle(at(2025, 5, 1))
    # then the expiry came out of pending, and nothing was ever spendable
    assert _entries(wallet) == [("PENDING", 25, 0, 25), ("EXPIRE", -25, 0, 0)]
    assert wallet.lots == []


def test_an_overdraft_is_refused_and_changes_nothing() -> None:
    wallet = ModelWallet()
    now = at(2025, 3, 1)
    wallet.earn(now, 10, "ADJUST", now, now, None)
    copy = wallet.copy()
    with pytest.raises(Rejected) as refusal:
        copy.spend(now, 11, "REDEEM")
    assert refusal.value.code == "INSUFFICIENT_POINTS"
    assert _entries(wallet) == [("ADJUST", 10, 10, 0)]


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_the_model_uses_nothing_but_the_standard_library(module: str) -> None:
    tree = ast.parse((Path(__file__).parent / f"{module}.py").read_text())
    imported = {
        name
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    foreign = {
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names
        and name.removeprefix("tests.model.") not in MODEL_MODULES
    }
    assert foreign == set()
