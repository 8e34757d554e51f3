"""The arithmetic of program statistics over already-aggregated figures."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from loyalty import analytics
from loyalty.analytics import Granularity, OrderTotals, StatsRange
from loyalty.errors import DomainError, ErrorCode


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def totals(orders: int, customers: int, revenue_minor: int) -> OrderTotals:
    return OrderTotals(orders, customers, 0, revenue_minor, 0, 0, 0)


def test_points_flow_signs_each_type() -> None:
    flow = analytics.points_flow(
        {"EARN": 70, "PENDING": 30, "REDEEM": -40, "EXPIRE": -5, "ADJUST": -3, "REFUND": -7}
    )
    assert flow == analytics.PointsFlow(issued=100, redeemed=40, expired=5, adjusted=-3, refunded=7)


def test_customer_value_annualizes_frequency_times_aov() -> None:
    # 10 orders by 4 customers, 1000.000 KWD over 73 days: AOV 100.000, frequency 2.5,
    # annual value = 2.5 x 100 x 365 / 73 = 1250.000, CLV over 2 years = 2500.000.
    period = StatsRange(utc(2026, 1, 1), utc(2026, 3, 15))
    value = analytics.customer_value(totals(10, 4, 1_000_000), period, "KWD", Decimal(2))
    assert value == analytics.CustomerValue(
        2.5, Decimal("100.000"), Decimal("1250.000"), Decimal("2500.000")
    )


def test_customer_value_is_unknown_without_orders() -> None:
    period = StatsRange(utc(2026, 1, 1), utc(2026, 2, 1))
    assert (
        analytics.customer_value(totals(0, 0, 0), period, "SAR", Decimal(3)).average_order_value
        is None
    )


def test_ratio_rounds_to_four_places_and_is_unknown_over_zero() -> None:
    assert analytics.ratio(1, 3) == 0.3333
    assert analytics.ratio(2, 3) == 0.6667
    assert analytics.ratio(5, 0) is None


def test_money_rounds_minor_units_half_up() -> None:
    assert analytics.money(Decimal("13333.5"), "SAR") == Decimal("133.34")
    assert analytics.money(1234, "JPY") == Decimal("1234")


def test_previous_period_has_the_same_length() -> None:
    period = StatsRange(utc(2026, 1, 1), utc(2026, 2, 1))
    assert period.previous() == StatsRange(utc(2025, 12, 1), utc(2026, 1, 1))


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (utc(2026, 1, 2), utc(2026, 1, 1), ErrorCode.INVALID_RANGE),
        (utc(2026, 1, 1), utc(2026, 1, 1), ErrorCode.INVALID_RANGE),
        (utc(2020, 1, 1), utc(2026, 1, 2), ErrorCode.RANGE_TOO_LONG),
    ],
)
def test_bad_ranges_are_refused(start: datetime, end: datetime, code: ErrorCode) -> None:
    with pytest.raises(DomainError) as caught:
        analytics.stats_range(start, end)
    assert (caught.value.code, caught.value.field) == (code, ("to",))


def test_day_buckets_follow_a_dst_change() -> None:
    # Cairo moves to summer time (UTC+3) at 00:00 local on Friday 24 April 2026: that day
    # starts at 22:00Z on the 23rd (UTC+2 before the change) and the next at 21:00Z.
    zone = ZoneInfo("Africa/Cairo")
    period = StatsRange(utc(2026, 4, 23, 22), utc(2026, 4, 25, 21))
    edges = analytics.bucket_boundaries(period, Granularity.DAY, zone)
    assert edges == [utc(2026, 4, 23, 22), utc(2026, 4, 24, 21), utc(2026, 4, 25, 21)]


def test_month_buckets_roll_over_the_year() -> None:
    period = StatsRange(utc(2025, 12, 15), utc(2026, 1, 2))
    edges = analytics.bucket_boundaries(period, Granularity.MONTH, ZoneInfo("UTC"))
    assert edges == [utc(2025, 12, 1), utc(2026, 1, 1), utc(2026, 2, 1)]


def test_too_many_buckets_is_refused() -> None:
    period = StatsRange(utc(2024, 1, 1), utc(2026, 1, 1))
    with pytest.raises(DomainError) as caught:
        analytics.bucket_boundaries(period, Granularity.DAY, ZoneInfo("UTC"))
    assert caught.value.code is ErrorCode.TOO_MANY_BUCKETS


def test_lifespan_defaults_to_three_years_and_must_be_positive() -> None:
    assert analytics.lifespan_years(None) == Decimal(3)
    assert analytics.lifespan_years(1.5) == Decimal("1.5")
    with pytest.raises(DomainError):
        analytics.lifespan_years(-1)
