"""Dates as migration files hold them: ISO 8601 (2024-03-05, 2024-03-05T10:30:00+03:00,
2024-03-05 10:30) or day first as Excel writes them in the Gulf (05/03/2024, 5-3-2024),
with Latin or Arabic-Indic digits. A date or time without an offset is the tenant's local
time; the result is UTC."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

_DIGITS = str.maketrans({chr(0x0660 + d): str(d) for d in range(10)})
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T](\d{1,2}):(\d{2}))?")


def parse_date(text: str) -> date | None:
    text = text.strip().translate(_DIGITS)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DAY_FIRST.fullmatch(text)
    if match is None or match[4] is not None:
        return None
    try:
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def parse_moment(text: str, timezone: str) -> datetime | None:
    text = text.strip().translate(_DIGITS)
    zone = ZoneInfo(timezone)
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None:
        match = _DAY_FIRST.fullmatch(text)
        if match is None:
            return None
        try:
            day = date(int(match[3]), int(match[2]), int(match[1]))
            clock = time(int(match[4] or 0), int(match[5] or 0))
        except ValueError:
            return None
        moment = datetime.combine(day, clock)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    # BSON keeps milliseconds: cut here so a re-read compares equal.
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return moment.astimezone(UTC)
