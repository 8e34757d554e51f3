"""Batch rules for pushes: quiet hours and local days per zone, and who of a batch got a slot
of the daily cap."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from loyalty.devices import NotificationPrefs
from loyalty.push_batch import allot, local_days, quiet_wakes, wanted_slots

RIYADH = ZoneInfo("Asia/Riyadh")
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # 23:30 in Riyadh, 05:30 on March 2 in Tokyo


def test_each_member_wakes_at_the_end_of_quiet_hours_in_their_own_zone() -> None:
    # given default quiet hours (22:00-08:00) for three members, and none for a fourth
    default = NotificationPrefs()
    never = NotificationPrefs(quiet_start=None, quiet_end=None)
    late = NotificationPrefs(quiet_start=23 * 60 + 45, quiet_end=9 * 60)
    members = {
        "a": (default, RIYADH),
        "b": (default, TOKYO),
        "c": (never, RIYADH),
        "d": (late, RIYADH),
    }
    # when
    wakes = quiet_wakes(NOW, members)
    # then Riyadh wakes at 05:00 UTC, Tokyo at 23:00 UTC; no quiet hours, or not yet quiet (d
    # starts at 23:45 local), means now
    assert wakes == {
        "a": datetime(2026, 3, 2, 5, 0, tzinfo=UTC),
        "b": datetime(2026, 3, 1, 23, 0, tzinfo=UTC),
    }


def test_the_local_day_follows_the_zone() -> None:
    assert local_days(NOW, {"a": RIYADH, "b": TOKYO, "c": ZoneInfo("UTC")}) == {
        "a": "2026-03-01",
        "b": "2026-03-02",
        "c": "2026-03-01",
    }


def test_slots_go_to_the_first_rows_of_each_member_day() -> None:
    # given a batch where m1 has three rows and m2 one, and m1 was granted two slots, m2 none
    rows = [("m1", "d"), ("m2", "d"), ("m1", "d"), ("m1", "d")]
    # when
    wanted = wanted_slots(rows)
    allotted = allot(rows, {("m1", "d"): 2, ("m2", "d"): 0})
    # then
    assert wanted == {("m1", "d"): 3, ("m2", "d"): 1}
    assert allotted == [True, False, True, False]
