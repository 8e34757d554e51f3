"""RFM segments: recency, frequency and monetary value over the program's window, each scored
1-3, mapped to a named segment. Pure; `segment_review_at` says when time alone would change
the answer, so the scheduled job only visits members whose segment may have moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from loyalty.engagement_settings import SegmentPolicy


class Segment(StrEnum):
    CHAMPION = "CHAMPION"
    LOYAL = "LOYAL"
    REGULAR = "REGULAR"
    AT_RISK = "AT_RISK"
    NEW = "NEW"


@dataclass(frozen=True)
class Activity:
    """A member's orders as the scoring needs them: inside the window, plus the last one."""

    last_order_at: datetime | None
    orders_in_window: int
    spend_in_window: Decimal
    oldest_in_window: datetime | None


@dataclass(frozen=True)
class Scores:
    recency: int
    frequency: int
    monetary: int


def scores(policy: SegmentPolicy, activity: Activity, now: datetime) -> Scores:
    assert activity.last_order_at is not None
    days = (now - activity.last_order_at).days
    recency = 3 if days * 3 <= policy.window_days else 2 if days <= policy.inactivity_days else 1
    frequency = (
        3
        if activity.orders_in_window >= policy.top_orders
        else 2
        if activity.orders_in_window >= 2
        else 1
    )
    spend = activity.spend_in_window
    monetary = 3 if spend >= policy.top_spend else 2 if spend * 3 >= policy.top_spend else 1
    return Scores(recency, frequency, monetary)


def segment(policy: SegmentPolicy, activity: Activity, now: datetime) -> Segment:
    if activity.last_order_at is None:
        return Segment.NEW
    if now - activity.last_order_at > timedelta(days=policy.inactivity_days):
        return Segment.AT_RISK
    s = scores(policy, activity, now)
    total = s.recency + s.frequency + s.monetary
    if total >= 8:
        return Segment.CHAMPION
    if total >= 6:
        return Segment.LOYAL
    return Segment.REGULAR


def segment_review_at(policy: SegmentPolicy, activity: Activity, now: datetime) -> datetime | None:
    """The next moment the segment can change without a new order: recency crossing a third
    of the window or the inactivity period, or the oldest order leaving the window."""
    if activity.last_order_at is None:
        return None
    moments = [
        activity.last_order_at + timedelta(days=policy.window_days / 3 + 1),
        activity.last_order_at + timedelta(days=policy.inactivity_days, seconds=1),
    ]
    if activity.oldest_in_window is not None:
        moments.append(activity.oldest_in_window + timedelta(days=policy.window_days))
    ahead = [m for m in moments if m > now]
    return min(ahead) if ahead else None
