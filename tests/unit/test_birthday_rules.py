"""Birthday rules (loyalty.birthdays): which birthdays a day celebrates, 29 February in other
years, and what a birthday may be."""

from __future__ import annotations

from datetime import date

import pytest

from loyalty.birthdays import celebrated_on, check_birthday, month_day, month_days_on
from loyalty.errors import DomainError, ErrorCode


def test_a_day_celebrates_its_own_month_and_day() -> None:
    assert month_days_on(date(2026, 1, 15)) == ("01-15",)
    assert month_day(date(1990, 1, 15)) == "01-15"


def test_28_february_also_celebrates_29_february_in_years_without_it() -> None:
    assert month_days_on(date(2027, 2, 28)) == ("02-28", "02-29")
    assert month_days_on(date(2028, 2, 28)) == ("02-28",)
    assert month_days_on(date(2028, 2, 29)) == ("02-29",)
    assert month_days_on(date(2100, 2, 28)) == ("02-28", "02-29")  # 2100 is not a leap year


def test_a_leap_day_birthday_is_celebrated_on_28_february_in_other_years() -> None:
    born = date(2000, 2, 29)
    assert celebrated_on(born, 2027) == date(2027, 2, 28)
    assert celebrated_on(born, 2028) == date(2028, 2, 29)
    assert celebrated_on(date(1990, 3, 1), 2027) == date(2027, 3, 1)


@pytest.mark.parametrize("born", [date(2026, 1, 16), date(1899, 12, 31)])
def test_a_birthday_in_the_future_or_before_1900_is_refused(born: date) -> None:
    with pytest.raises(DomainError) as refused:
        check_birthday(born, date(2026, 1, 15), ("input", "birthday"))
    assert (refused.value.code, refused.value.field) == (
        ErrorCode.INVALID_INPUT,
        ("input", "birthday"),
    )


def test_today_and_1900_are_fine() -> None:
    check_birthday(date(2026, 1, 15), date(2026, 1, 15), ("input", "birthday"))
    check_birthday(date(1900, 1, 1), date(2026, 1, 15), ("input", "birthday"))
