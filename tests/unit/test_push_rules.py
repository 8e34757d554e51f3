"""Pure push rules: quiet hours across midnight and DST-free zones, retry backoff."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from loyalty.devices import NotificationPrefs
from notifications.dispatch import BASE_DELAY, MAX_DELAY, backoff

RIYADH = ZoneInfo("Asia/Riyadh")
CAIRO = ZoneInfo("Africa/Cairo")


@pytest.mark.parametrize(
    ("utc_hour", "utc_minute", "expected"),
    [
        (18, 59, None),  # 21:59 in Riyadh
        (19, 0, datetime(2026, 3, 2, 5, 0, tzinfo=UTC)),  # 22:00 -> 08:00 next day
        (23, 30, datetime(2026, 3, 2, 5, 0, tzinfo=UTC)),  # 02:30 next day
        (4, 59, datetime(2026, 3, 1, 5, 0, tzinfo=UTC)),  # 07:59 -> 08:00 same day
        (5, 0, None),  # 08:00
    ],
)
def test_default_quiet_hours_span_midnight_in_the_members_zone(
    utc_hour: int, utc_minute: int, expected: datetime | None
) -> None:
    now = datetime(2026, 3, 1, utc_hour, utc_minute, tzinfo=UTC)
    assert NotificationPrefs().quiet_until(now, RIYADH) == expected


def test_quiet_hours_within_one_day_and_switched_off() -> None:
    afternoon = NotificationPrefs(quiet_start=13 * 60, quiet_end=15 * 60)
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 14:00 in Cairo (UTC+2)
    assert afternoon.quiet_until(now, CAIRO) == datetime(2026, 3, 1, 13, 0, tzinfo=UTC)
    off = NotificationPrefs(quiet_start=None, quiet_end=None)
    assert off.quiet_until(datetime(2026, 3, 1, 23, 0, tzinfo=UTC), CAIRO) is None


def test_backoff_grows_with_jitter_is_capped_and_honours_retry_after() -> None:
    rng = random.Random(7)
    delays = [backoff(attempt, None, rng) for attempt in range(1, 12)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert backoff(1, 600.0, rng) == 600.0
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered, not fixed steps
