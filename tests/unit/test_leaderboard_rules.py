"""Leaderboard rules (loyalty.leaderboards): periods in the tenant's zone, ranking with ties
broken by who reached the score first, and masked names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from loyalty.leaderboards import LeaderboardPeriod, Score, bounds, mask_name, placed, ranked

RIYADH = ZoneInfo("Asia/Riyadh")
NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)  # a Thursday


def test_week_starts_monday_at_local_midnight() -> None:
    week = bounds(LeaderboardPeriod.WEEK, NOW, RIYADH)
    assert week.key == "WEEK:2026-01-12"
    assert week.starts_at == datetime(2026, 1, 11, 21, tzinfo=UTC)
    assert week.ends_at == datetime(2026, 1, 18, 21, tzinfo=UTC)
    assert week.starts_at is not None and week.starts_at.tzinfo == UTC


def test_the_local_sunday_night_already_belongs_to_the_next_week() -> None:
    sunday_night_utc = datetime(2026, 1, 18, 21, 30, tzinfo=UTC)  # Monday 00:30 in Riyadh
    assert bounds(LeaderboardPeriod.WEEK, sunday_night_utc, RIYADH).key == "WEEK:2026-01-19"
    assert bounds(LeaderboardPeriod.WEEK, sunday_night_utc, ZoneInfo("UTC")).key == (
        "WEEK:2026-01-12"
    )


def test_month_follows_the_local_calendar() -> None:
    month = bounds(LeaderboardPeriod.MONTH, NOW, RIYADH)
    assert (month.key, month.starts_at, month.ends_at) == (
        "MONTH:2026-01-01",
        datetime(2025, 12, 31, 21, tzinfo=UTC),
        datetime(2026, 1, 31, 21, tzinfo=UTC),
    )
    late = datetime(2026, 1, 31, 22, tzinfo=UTC)
    assert bounds(LeaderboardPeriod.MONTH, late, RIYADH).key == "MONTH:2026-02-01"


def test_all_time_has_no_bounds() -> None:
    span = bounds(LeaderboardPeriod.ALL_TIME, NOW, RIYADH)
    assert (span.key, span.starts_at, span.ends_at) == ("ALL_TIME", None, None)


def test_ranked_highest_first_ties_by_who_reached_first() -> None:
    early, late = NOW - timedelta(hours=2), NOW - timedelta(hours=1)
    scores = [
        Score("m3", 100, late),
        Score("m1", 300, late),
        Score("m2", 100, early),
        Score("m4", 100, late),
    ]
    assert [s.member_id for s in ranked(scores)] == ["m1", "m2", "m3", "m4"]
    assert ranked([]) == []


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    # given scores 300, 300, 100, 100, 100, 50 (reached at different times)
    early, late = NOW - timedelta(hours=2), NOW - timedelta(hours=1)
    scores = [
        Score("b", 300, late),
        Score("a", 300, early),
        Score("c", 100, early),
        Score("d", 100, late),
        Score("e", 100, late),
        Score("f", 50, early),
    ]
    # when placed
    board = placed(scores)
    # then standard competition ranking (1, 1, 3): the earlier one is only listed first
    assert [(p.position, p.rank, p.score.member_id) for p in board] == [
        (1, 1, "a"),
        (2, 1, "b"),
        (3, 3, "c"),
        (4, 3, "d"),
        (5, 3, "e"),
        (6, 6, "f"),
    ]
    assert placed([]) == []


def test_mask_name() -> None:
    assert mask_name("Ahmed Khalil") == "Ahmed K."
    assert mask_name("  Sara   Al Haddad ") == "Sara H."
    assert mask_name("محمد بن سلمان") == "محمد س."
    assert mask_name("Layla") == "Layla"


def test_mask_name_skips_the_arabic_article() -> None:
    # given family names that begin with "ال", as most Arabic ones do
    # then the initial is the name's own first letter
    assert mask_name("نورة الحربي") == "نورة ح."
    assert mask_name("فهد العتيبي") == "فهد ع."
    assert mask_name("سالم ال") == "سالم ا."  # the article alone is a name, not a prefix
    assert mask_name("   ") is None
    assert mask_name(None) is None
