"""Dates in the reader's language and the program's time zone.

Arabic uses Latin digits here too (as numbers do: Gulf apps show 0-9), so CLDR's Arabic-Indic
digits, where a pattern yields them, are mapped back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time

from loyalty.i18n.locales import normalize_locale

_TO_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def format_date(moment: datetime, locale: str, timezone: str = "UTC") -> str:
    """e.g. "15 يناير 2026" / "January 15, 2026" (the local calendar day in `timezone`)."""
    resolved = normalize_locale(locale) or "en"
    local = moment.astimezone(ZoneInfo(timezone))
    return babel_format_date(local.date(), "long", locale=resolved).translate(_TO_LATIN)


def format_time(moment: datetime, locale: str, timezone: str = "UTC") -> str:
    """e.g. "9:30 م" / "9:30 PM" in `timezone`."""
    resolved = normalize_locale(locale) or "en"
    local = moment.astimezone(ZoneInfo(timezone))
    return babel_format_time(local.time(), "short", locale=resolved).translate(_TO_LATIN)
