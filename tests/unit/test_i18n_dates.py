"""Dates per locale, in the program's time zone, with Latin digits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from loyalty.i18n import format_date, format_time

LATE_EVENING_UTC = datetime(2026, 1, 15, 21, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "timezone", "expected"),
    [
        ("en", "UTC", "January 15, 2026"),
        ("ar", "UTC", "15 يناير 2026"),
        # 21:30 UTC is already the 16th in Riyadh (UTC+3)
        ("ar", "Asia/Riyadh", "16 يناير 2026"),
        ("en-GB", "Africa/Cairo", "January 15, 2026"),
    ],
)
def test_format_date(locale: str, timezone: str, expected: str) -> None:
    assert format_date(LATE_EVENING_UTC, locale, timezone) == expected


def test_format_time_uses_the_zone_and_latin_digits() -> None:
    assert format_time(LATE_EVENING_UTC, "en", "Asia/Dubai") == "1:30\u202fAM"
    assert format_time(LATE_EVENING_UTC, "ar", "Asia/Dubai") == "1:30 ص"
