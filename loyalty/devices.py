"""Devices a member receives pushes on, and what they agreed to receive and when.

A device is identified by its push token inside a tenant: registering a token that another
member holds moves it (the phone changed hands or the app account changed). Quiet hours are
minutes of the day in the member's own timezone (the device's, else the program's); a push due
inside them is deferred to their end, never dropped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loyalty.errors import DomainError, ErrorCode

MAX_TOKEN = 4096
MINUTES_PER_DAY = 24 * 60
# 22:00-08:00 unless the member says otherwise: a reminder is never worth a 3 a.m. buzz.
DEFAULT_QUIET = (22 * 60, 8 * 60)


class DevicePlatform(StrEnum):
    IOS = "IOS"
    ANDROID = "ANDROID"
    WEB = "WEB"


class Category(StrEnum):
    POINTS_EXPIRY = "POINTS_EXPIRY"
    TRIAL = "TRIAL"
    TIER = "TIER"
    MARKETING = "MARKETING"


@dataclass(frozen=True)
class Device:
    tenant: str
    member_id: str
    token: str
    platform: DevicePlatform
    registered_at: datetime
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class NotificationPrefs:
    opted_out: frozenset[Category] = field(default_factory=frozenset)
    quiet_start: int | None = DEFAULT_QUIET[0]  # minute of the local day; None = no quiet hours
    quiet_end: int | None = DEFAULT_QUIET[1]

    def allows(self, category: Category) -> bool:
        return category not in self.opted_out

    def quiet_until(self, now: datetime, zone: ZoneInfo) -> datetime | None:
        """The end of the quiet period `now` falls in (UTC), or None when sending is fine."""
        start, end = self.quiet_start, self.quiet_end
        if start is None or end is None or start == end:
            return None
        local = now.astimezone(zone)
        minute = local.hour * 60 + local.minute
        inside = start <= minute < end if start < end else minute >= start or minute < end
        if not inside:
            return None
        day = local.date() if minute < end else local.date() + timedelta(days=1)
        wake = datetime.combine(day, time(end // 60, end % 60), tzinfo=zone)
        return wake.astimezone(now.tzinfo)


def check_token(token: str, field: tuple[str, ...]) -> str:
    token = token.strip()
    if not token or len(token) > MAX_TOKEN or not token.isprintable() or " " in token:
        raise DomainError(ErrorCode.INVALID_INPUT, field, detail="token")
    return token


def check_timezone(name: str | None, field: tuple[str, ...]) -> str | None:
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(ErrorCode.INVALID_TIMEZONE, field, timezone=name[:64]) from None
    return name


def check_minute(value: int | None, field: tuple[str, ...]) -> int | None:
    if value is not None and not 0 <= value < MINUTES_PER_DAY:
        raise DomainError(ErrorCode.OUT_OF_RANGE, field, min=0, max=MINUTES_PER_DAY - 1)
    return value


def member_zone(devices: list[Device], fallback: str) -> ZoneInfo:
    """The timezone of the most recently registered device that told us one."""
    for device in sorted(devices, key=lambda d: d.registered_at, reverse=True):
        if device.timezone:
            return ZoneInfo(device.timezone)
    return ZoneInfo(fallback)
