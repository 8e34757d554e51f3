"""Rules applied to a whole batch of pushes at once: quiet hours per device time zone, the
local day a marketing push counts against, and which rows of a batch got a slot of the daily
cap. Members sharing a zone and a quiet window share one computation, however many they are."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from loyalty.devices import NotificationPrefs

QuietKey = tuple[str, int | None, int | None]


def quiet_wakes(
    now: datetime, members: Mapping[str, tuple[NotificationPrefs, ZoneInfo]]
) -> dict[str, datetime]:
    """member id -> when their quiet hours end, for the members inside them now."""
    by_window: dict[QuietKey, datetime | None] = {}
    wakes: dict[str, datetime] = {}
    for member_id, (prefs, zone) in members.items():
        key = (zone.key, prefs.quiet_start, prefs.quiet_end)
        if key not in by_window:
            by_window[key] = prefs.quiet_until(now, zone)
        wake = by_window[key]
        if wake is not None:
            wakes[member_id] = wake
    return wakes


def local_days(now: datetime, zones: Mapping[str, ZoneInfo]) -> dict[str, str]:
    """member id -> the ISO date it is now in their zone (one conversion per zone)."""
    by_zone: dict[str, str] = {}
    days: dict[str, str] = {}
    for member_id, zone in zones.items():
        if zone.key not in by_zone:
            by_zone[zone.key] = now.astimezone(zone).date().isoformat()
        days[member_id] = by_zone[zone.key]
    return days


def wanted_slots(rows: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """How many slots each (member, day) asks for, from the batch's (member, day) rows."""
    wanted: dict[tuple[str, str], int] = {}
    for key in rows:
        wanted[key] = wanted.get(key, 0) + 1
    return wanted


def allot(rows: Iterable[tuple[str, str]], granted: Mapping[tuple[str, str], int]) -> list[bool]:
    """Per row, in batch order: whether it got one of the slots its (member, day) was granted."""
    left = dict(granted)
    allotted = []
    for key in rows:
        has = left.get(key, 0) > 0
        if has:
            left[key] -= 1
        allotted.append(has)
    return allotted
