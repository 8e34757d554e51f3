"""The calendar of the rules, derived again from their wording (standard library only).

- Points are pending for `pending_days` whole days (24 hours each) after the order was placed.
- Points expire at the start of the local day after the date `expiry_months` calendar months
  after they were earned, in the tenant's time zone (a day past the end of a shorter month is
  clamped to its last day: 31 January + 1 month = 28 or 29 February).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DAY = timedelta(days=1)


def days_in_month(year: int, month: int) -> int:
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - first).days


def plus_months(day: date, months: int) -> date:
    months_since_zero = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(months_since_zero, 12)
    return date(year, month0 + 1, min(day.day, days_in_month(year, month0 + 1)))


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def start_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The earliest instant whose local date is `day` (a skipped midnight starts the day at
    the end of the gap, a repeated one at its first occurrence)."""
    candidates = []
    for fold in (0, 1):
        naive = datetime(day.year, day.month, day.day, tzinfo=zone, fold=fold)
        instant = naive.astimezone(UTC)
        if local_date(instant, zone) == day:
            candidates.append(instant)
    if not candidates:
        # Midnight itself was skipped and both folds fell outside the day: walk back in
        # minutes from the next local midnight to find where the day begins.
        instant = datetime(day.year, day.month, day.day, 23, 59, tzinfo=zone).astimezone(UTC)
        while local_date(instant - timedelta(minutes=1), zone) == day:
            instant -= timedelta(minutes=1)
        return instant
    earliest = min(candidates)
    while local_date(earliest - timedelta(minutes=1), zone) == day:
        earliest -= timedelta(minutes=1)
    return earliest


def expiry_moment(earned_at: datetime, zone: ZoneInfo, months: int | None) -> datetime | None:
    if months is None:
        return None
    last_day = plus_months(local_date(earned_at, zone), months)
    return start_of_local_day(last_day + DAY, zone)


def available_moment(placed_at: datetime, pending_days: int) -> datetime:
    return placed_at + timedelta(hours=24 * pending_days)


def utc_offset_changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The instants in [start, end) at which the zone's offset from UTC changes (to the
    hour): where a scheduler tick is most likely to meet a clock that jumps."""
    changes = []
    moment = start.replace(minute=0, second=0, microsecond=0)
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + timedelta(hours=1)
        following_offset = following.astimezone(zone).utcoffset()
        if following_offset != offset:
            changes.append(following)
            offset = following_offset
        moment = following
    return changes
