"""Birthdays: the member's date, the program's gift, and which birthdays fall on a day.

A member is paid once a year, on their birthday in the program's time zone; one born on
29 February is paid on 28 February in years without a 29th."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from loyalty.errors import DomainError, ErrorCode

OLDEST_YEAR = 1900


@dataclass(frozen=True)
class BirthdayReward:
    """The program's gift: `points`, or a coupon of the catalogue reward `reward_id` (free)."""

    points: int | None = None
    reward_id: str | None = None


def month_day(birthday: date) -> str:
    """The key the daily job looks members up by ("02-29")."""
    return f"{birthday:%m-%d}"


def month_days_on(day: date) -> tuple[str, ...]:
    """The birthdays celebrated on `day`: its own, and 29 February on 28 February of a year
    without a 29th."""
    found = [month_day(day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        found.append("02-29")
    return tuple(found)


def celebrated_on(birthday: date, year: int) -> date:
    if (birthday.month, birthday.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)


def check_birthday(birthday: date, today: date, field: tuple[str, ...]) -> None:
    """A day that has been: not in the future, not before 1900."""
    if birthday > today or birthday.year < OLDEST_YEAR:
        raise DomainError(ErrorCode.INVALID_INPUT, field, detail="birthday")
