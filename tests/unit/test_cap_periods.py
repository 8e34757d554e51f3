"""How long an activity cap's counter is kept: its period's end plus a grace for late reports."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from loyalty.earning import cap_kept_until
from loyalty.program import LimitPeriod

RIYADH = ZoneInfo("Asia/Riyadh")


def test_each_period_is_kept_31_days_past_its_local_end() -> None:
    # given a Wednesday (its week ends on Monday 5 January), in the program's zone
    moment = datetime(2025, 12, 31, 23, 30, tzinfo=RIYADH)
    # when / then
    assert cap_kept_until(LimitPeriod.DAY, moment) == datetime(2026, 2, 1, tzinfo=RIYADH)
    assert cap_kept_until(LimitPeriod.WEEK, moment) == datetime(2026, 2, 5, tzinfo=RIYADH)
    assert cap_kept_until(LimitPeriod.MONTH, moment) == datetime(2026, 2, 1, tzinfo=RIYADH)
    assert cap_kept_until(LimitPeriod.YEAR, moment) == datetime(2026, 2, 1, tzinfo=RIYADH)
    assert cap_kept_until(LimitPeriod.LIFETIME, moment) is None


def test_a_month_ends_on_the_first_of_the_next_one() -> None:
    assert cap_kept_until(LimitPeriod.MONTH, datetime(2026, 1, 31, tzinfo=UTC)) == datetime(
        2026, 3, 4, tzinfo=UTC
    )
    assert cap_kept_until(LimitPeriod.MONTH, datetime(2026, 2, 1, tzinfo=UTC)) == datetime(
        2026, 4, 1, tzinfo=UTC
    )
