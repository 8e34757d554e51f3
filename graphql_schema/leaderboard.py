"""The leaderboard as a member sees it: a snapshot refreshed by the scheduler, with its time."""

from __future__ import annotations

from datetime import datetime

import strawberry

from loyalty.i18n import translate
from loyalty.leaderboards import LeaderboardPeriod as DomainPeriod
from loyalty.usecases.leaderboards import Board, Entry

strawberry.enum(DomainPeriod, name="LeaderboardPeriod")
LeaderboardPeriod = DomainPeriod


@strawberry.type
class LeaderboardEntry:
    rank: int
    display_name: str = strawberry.field(description='Masked for privacy: "Ahmed K."')
    score: int = strawberry.field(description="Points earned in the period.")
    is_me: bool


@strawberry.type
class Leaderboard:
    period: LeaderboardPeriod
    starts_at: datetime | None
    ends_at: datetime | None
    updated_at: datetime | None = strawberry.field(
        description="When the ranks were computed (refreshed every few minutes); null: not yet."
    )
    entries: list[LeaderboardEntry]
    me: LeaderboardEntry | None = strawberry.field(
        description="The caller's own rank, even outside the top; null: no points or opted out."
    )


def _entry(entry: Entry, locale: str) -> LeaderboardEntry:
    name = entry.name or translate("leaderboard.anonymous", locale)
    return LeaderboardEntry(
        rank=entry.rank, display_name=name, score=entry.score, is_me=entry.is_me
    )


def leaderboard_of(board: Board, locale: str) -> Leaderboard:
    return Leaderboard(
        period=board.period,
        starts_at=board.starts_at,
        ends_at=board.ends_at,
        updated_at=board.updated_at,
        entries=[_entry(e, locale) for e in board.entries],
        me=_entry(board.me, locale) if board.me else None,
    )
