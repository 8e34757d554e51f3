"""Leaderboard rules: periods in the tenant's time zone, ranking order and name masking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from loyalty.clock import add_months


class LeaderboardPeriod(StrEnum):
    WEEK = "WEEK"
    MONTH = "MONTH"
    ALL_TIME = "ALL_TIME"


@dataclass(frozen=True)
class Bounds:
    key: str  # names the board: one per period instance ("WEEK:2026-01-12")
    starts_at: datetime | None
    ends_at: datetime | None


def bounds(period: LeaderboardPeriod, now: datetime, zone: ZoneInfo) -> Bounds:
    """Weeks start on Monday at local midnight (ISO weeks), months on the 1st."""
    if period is LeaderboardPeriod.ALL_TIME:
        return Bounds("ALL_TIME", None, None)
    local = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    if period is LeaderboardPeriod.WEEK:
        start = local - timedelta(days=local.weekday())
        end = start + timedelta(days=7)
    else:
        start = local.replace(day=1)
        end = add_months(start, 1)
    utc = now.tzinfo
    return Bounds(
        f"{period.value}:{start.date().isoformat()}", start.astimezone(utc), end.astimezone(utc)
    )


@dataclass(frozen=True)
class Score:
    member_id: str
    score: int
    reached_at: datetime  # when the member reached this score (the last earning entry)


def ranked(scores: list[Score]) -> list[Score]:
    """Highest first; on a tie, whoever reached the score first is listed first."""
    return sorted(scores, key=lambda s: (-s.score, s.reached_at, s.member_id))


@dataclass(frozen=True)
class Placed:
    position: int  # 1-based place in the list (ties listed by who reached the score first)
    rank: int  # standard competition ranking: equal scores share a rank, the next one skips
    score: Score


def placed(scores: list[Score]) -> list[Placed]:
    """Ranks 1, 1, 3 for scores 300, 300, 100: a tie is a tie, whoever got there first
    (that only decides who is listed first)."""
    result: list[Placed] = []
    for position, score in enumerate(ranked(scores), start=1):
        tied = bool(result) and result[-1].score.score == score.score
        rank = result[-1].rank if tied else position
        result.append(Placed(position, rank, score))
    return result


def mask_name(display_name: str | None) -> str | None:
    """ "Ahmed Khalil" -> "Ahmed K."; one word stays as is; None when there is no name."""
    words = (display_name or "").split()
    if not words:
        return None
    if len(words) == 1:
        return words[0]
    last = words[-1]
    # Arabic family names mostly begin with the article: "الحربي" is "ح.", not "ا.".
    if last.startswith("ال") and len(last) > 2:
        last = last[2:]
    return f"{words[0]} {last[0]}."
