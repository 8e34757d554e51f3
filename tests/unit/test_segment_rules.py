"""RFM segment rules (loyalty.segments), with the default policy: a 90-day window, at risk
after 60 quiet days, best customers at 5 orders or 1000 spent in the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from loyalty.engagement_settings import SegmentPolicy
from loyalty.segments import Activity, Scores, Segment, scores, segment, segment_review_at

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
POLICY = SegmentPolicy()


def activity(days_ago: float, orders: int, spend: str, oldest_days_ago: float) -> Activity:
    return Activity(
        last_order_at=NOW - timedelta(days=days_ago),
        orders_in_window=orders,
        spend_in_window=Decimal(spend),
        oldest_in_window=NOW - timedelta(days=oldest_days_ago),
    )


def test_scores_have_exact_boundaries() -> None:
    assert scores(POLICY, activity(30, 5, "1000", 80), NOW) == Scores(3, 3, 3)
    assert scores(POLICY, activity(31, 4, "999.99", 80), NOW) == Scores(2, 2, 2)
    assert scores(POLICY, activity(60, 2, "333.34", 80), NOW) == Scores(2, 2, 2)
    assert scores(POLICY, activity(61, 1, "333.33", 80), NOW) == Scores(1, 1, 1)


def test_segments() -> None:
    assert segment(POLICY, activity(10, 5, "1000", 80), NOW) is Segment.CHAMPION
    assert segment(POLICY, activity(10, 5, "100", 80), NOW) is Segment.LOYAL  # 3+3+1 = 7
    assert segment(POLICY, activity(40, 2, "400", 80), NOW) is Segment.LOYAL  # 2+2+2 = 6
    assert segment(POLICY, activity(50, 1, "100", 50), NOW) is Segment.REGULAR  # 2+1+1 = 4
    assert segment(POLICY, activity(60, 9, "9000", 80), NOW) is Segment.CHAMPION  # 2+3+3 = 8
    empty = Activity(None, 0, Decimal(0), None)
    assert segment(POLICY, empty, NOW) is Segment.NEW


def test_at_risk_strictly_after_the_inactivity_period() -> None:
    quiet = Activity(NOW - timedelta(days=60, seconds=1), 0, Decimal(0), None)
    assert segment(POLICY, quiet, NOW) is Segment.AT_RISK
    weekly = SegmentPolicy(window_days=28, inactivity_days=14, top_orders=8)
    assert segment(weekly, activity(15, 3, "200", 20), NOW) is Segment.AT_RISK


def test_review_at_is_the_next_moment_time_alone_changes_the_answer() -> None:
    # the oldest order leaves the window first (in 10 days)
    assert segment_review_at(POLICY, activity(10, 3, "300", 80), NOW) == NOW + timedelta(days=10)
    # recency drops below 3 first: a third of the window (30 days) + 1 after the last order
    assert segment_review_at(POLICY, activity(10, 1, "30", 10), NOW) == NOW + timedelta(days=21)
    # then the inactivity period ends
    assert segment_review_at(POLICY, activity(40, 1, "30", 40), NOW) == (
        NOW + timedelta(days=20, seconds=1)
    )
    assert segment_review_at(POLICY, Activity(None, 0, Decimal(0), None), NOW) is None
    assert segment_review_at(POLICY, activity(100, 0, "0", 100), NOW) is None
