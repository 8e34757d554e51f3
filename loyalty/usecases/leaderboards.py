"""Leaderboards: snapshots rebuilt by the scheduler (at most every REFRESH), and the cheap
read a member's app makes (top N plus the member's own entry, with the snapshot's time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from loyalty.errors import DomainError, ErrorCode
from loyalty.leaderboards import LeaderboardPeriod, bounds, mask_name, placed
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.tenants import Tenant

REFRESH = timedelta(minutes=5)
MAX_FIRST = 100


@dataclass(frozen=True)
class Entry:
    rank: int
    name: str | None  # masked already; None = no display name (the app shows "Member")
    score: int
    is_me: bool


@dataclass(frozen=True)
class Board:
    period: LeaderboardPeriod
    starts_at: datetime | None
    ends_at: datetime | None
    updated_at: datetime | None
    entries: list[Entry]
    me: Entry | None


async def refresh(deps: Deps, tenant: Tenant) -> int:
    """Rebuilds each period's current board when its snapshot is older than REFRESH; returns
    how many boards were rebuilt (and shown)."""
    rebuilt = 0
    now = deps.clock.now()
    for period in LeaderboardPeriod:
        span = bounds(period, now, tenant.program.zone())
        _, updated_at = await deps.leaderboards.board(tenant.slug, span.key)
        if updated_at is not None and now - updated_at < REFRESH:
            continue
        scores = await deps.leaderboards.earned_since(tenant.slug, span.starts_at)
        names = await deps.leaderboards.public_names(tenant.slug, [s.member_id for s in scores])
        # Ranks are computed here, once per refresh, and stored with each entry: a member's
        # own rank is then one indexed read, never a count of the members above.
        rows: list[dict[str, Any]] = [
            {
                "rank": place.rank,
                "position": place.position,
                "member_id": place.score.member_id,
                "name": mask_name(names[place.score.member_id]),
                "score": place.score.score,
            }
            for place in placed([s for s in scores if s.member_id in names])
        ]
        # Another worker may have published a newer snapshot meanwhile; then it stays.
        rebuilt += await deps.leaderboards.publish(tenant.slug, span.key, rows, now)
    return rebuilt


def _entry(doc: dict[str, Any], member_id: str) -> Entry:
    return Entry(doc["rank"], doc.get("name"), doc["score"], doc["member_id"] == member_id)


async def read(
    deps: Deps, tenant: Tenant, member: Member, period: LeaderboardPeriod, first: int
) -> Board:
    if not 1 <= first <= MAX_FIRST:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("first",), min=1, max=MAX_FIRST)
    span = bounds(period, deps.clock.now(), tenant.program.zone())
    snapshot, updated_at = await deps.leaderboards.board(tenant.slug, span.key)
    entries: list[Entry] = []
    me = None
    if snapshot is not None:
        top = await deps.leaderboards.top(tenant.slug, span.key, snapshot, first)
        entries = [_entry(doc, member.id) for doc in top]
        own = await deps.leaderboards.entry(tenant.slug, span.key, snapshot, member.id)
        me = _entry(own, member.id) if own else None
    return Board(period, span.starts_at, span.ends_at, updated_at, entries, me)


async def set_opt_out(deps: Deps, member: Member, opt_out: bool) -> None:
    await deps.standing.set_leaderboard_opt_out(member.tenant, member.id, opt_out)
    if opt_out:
        await deps.leaderboards.forget_member(member.tenant, member.id)
