"""Tier rules: what a member qualifies for, what they hold (with a VIP trial on top), and when
to look again. Pure: the use cases feed in the member's qualifying value and the clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from loyalty.clock import add_months
from loyalty.engagement_settings import TierPolicy, TierReset
from loyalty.member_events import MemberEventKind
from loyalty.program import BASE_TIER, Program, Tier


@dataclass(frozen=True)
class Trial:
    tier_id: str
    started_at: datetime
    ends_at: datetime
    granted: bool  # by the merchant (grantVipTrial) rather than claimed from the offer


@dataclass(frozen=True)
class TierNotice:
    """A member event a tier change owes the event log. It is saved with the state that made
    the change and recorded after the save; every later evaluation records it again until a
    new change replaces it (its key, the change's version, makes that a no-op), so a failure
    between the save and the record cannot lose it."""

    kind: MemberEventKind
    key: str
    at: datetime
    data: Mapping[str, str | int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class TierState:
    """Stored on the member as `tier_status`. `tier_id` is the tier in effect (the trial tier
    during a trial) because other readers (analytics, campaigns) only look at that field;
    `qualified_id` is what the member earned on their own."""

    tier_id: str = BASE_TIER.id
    qualified_id: str = BASE_TIER.id
    qualifying_value: Decimal = Decimal(0)
    version: int = 0
    below_since: datetime | None = None
    review_at: datetime | None = None
    trial: Trial | None = None
    last_trial_at: datetime | None = None
    notices: tuple[TierNotice, ...] = ()


def window_start(policy: TierPolicy, now: datetime, zone: tzinfo = UTC) -> datetime | None:
    """Where the qualifying value starts counting: the rolling window, or 1 January of the
    current year in the program's time zone `zone` (a calendar-year reset)."""
    if policy.reset is TierReset.CALENDAR_YEAR:
        return datetime(now.astimezone(zone).year, 1, 1, tzinfo=zone).astimezone(UTC)
    return None if policy.window_months is None else add_months(now, -policy.window_months)


def tier_of(program: Program, tier_id: str) -> Tier:
    return program.tier(tier_id) or BASE_TIER


def qualified_tier(program: Program, value: Decimal) -> Tier:
    """The highest-ranked tier whose threshold the value reaches (the base tier otherwise)."""
    reached = [t for t in program.sorted_tiers() if t.threshold <= value]
    return reached[-1] if reached else BASE_TIER


def kept_tier(program: Program, held: Tier, value: Decimal) -> Tier:
    """The highest tier at or below the one held whose keep threshold the value reaches: a
    member who held Gold keeps it above Gold's keep threshold, and falls to Silver, not lower,
    while the value keeps Silver."""
    kept = [t for t in program.sorted_tiers() if t.rank <= held.rank and t.keep_at <= value]
    return kept[-1] if kept else BASE_TIER


def next_tier(program: Program, current: Tier) -> Tier | None:
    return next((t for t in program.sorted_tiers() if t.rank > current.rank), None)


def _effective(program: Program, qualified: Tier, trial: Trial | None, now: datetime) -> Tier:
    if trial is not None and trial.ends_at > now:
        trial_tier = tier_of(program, trial.tier_id)
        if trial_tier.rank > qualified.rank:
            return trial_tier
    return qualified


REVIEW_EVERY = timedelta(days=1)


def evaluate(
    program: Program,
    state: TierState,
    value: Decimal,
    now: datetime,
    *,
    allow_downgrade: bool,
) -> TierState:
    """The state after looking at `value`. Upgrades apply at once; a drop only on a scheduled
    re-evaluation (`allow_downgrade`), and only after the grace period."""
    held = tier_of(program, state.qualified_id)
    reached = qualified_tier(program, value)
    kept = kept_tier(program, held, value)
    below_since = state.below_since
    if reached.rank >= held.rank:
        qualified, below_since = reached, None
    elif kept.rank >= held.rank:
        qualified, below_since = held, None  # below the entry threshold, above the keep one
    elif not allow_downgrade:
        qualified = held
    else:
        below_since = below_since or now
        grace_over = now >= below_since + timedelta(days=program.tier_policy.grace_days)
        qualified = kept if grace_over else held
        if grace_over:
            below_since = None
    trial = state.trial if state.trial is not None and state.trial.ends_at > now else None
    effective = _effective(program, qualified, trial, now)
    review = None
    if effective.rank > 0 or trial is not None:
        review = now + REVIEW_EVERY
        if trial is not None:
            # Wake up for the "ending soon" notices (3 and 1 days before) and for the end.
            moments = [trial.ends_at - timedelta(days=d) for d in (3, 1)] + [trial.ends_at]
            review = min([review, *(m for m in moments if m > now)])
    return replace(
        state,
        tier_id=effective.id,
        qualified_id=qualified.id,
        qualifying_value=value,
        below_since=below_since,
        review_at=review,
        trial=trial,
    )


def changed(before: TierState, after: TierState) -> bool:
    return (before.tier_id, before.qualified_id, before.below_since, before.trial) != (
        after.tier_id,
        after.qualified_id,
        after.below_since,
        after.trial,
    ) or before.qualifying_value != after.qualifying_value


def effective_tier(program: Program, state: TierState, now: datetime) -> Tier:
    """What the member enjoys right now, even if the review that ends a trial has not run."""
    return _effective(program, tier_of(program, state.qualified_id), state.trial, now)


def notices_for(
    program: Program, before: TierState, after: TierState, now: datetime
) -> tuple[TierNotice, ...]:
    """What the change from `before` to `after` (already given its new version) announces:
    a move between ranks (keyed by the new version: unique per change), and a trial that ended
    (keyed by its start)."""
    notices = []
    old, new = tier_of(program, before.qualified_id), tier_of(program, after.qualified_id)
    if new.rank != old.rank:
        kind = (
            MemberEventKind.TIER_UPGRADED
            if new.rank > old.rank
            else MemberEventKind.TIER_DOWNGRADED
        )
        data: dict[str, str | int | None] = {"tier_id": new.id, "from_tier_id": old.id}
        notices.append(TierNotice(kind, f"v{after.version}", now, data))
    trial = before.trial
    if trial is not None and after.trial is None and trial.ends_at <= now:
        kept = new.rank >= tier_of(program, trial.tier_id).rank
        kind = MemberEventKind.VIP_TRIAL_CONVERTED if kept else MemberEventKind.VIP_TRIAL_ENDED
        data = {"tier_id": trial.tier_id, "ends_at": trial.ends_at.isoformat()}
        notices.append(TierNotice(kind, trial.started_at.isoformat(), now, data))
    return tuple(notices)


def reevaluated(
    program: Program, before: TierState, value: Decimal, now: datetime, *, allow_downgrade: bool
) -> TierState:
    """`before` itself when nothing changed; otherwise the next version, carrying the notices
    of this change (those of an earlier change were recorded before it is replaced)."""
    after = evaluate(program, before, value, now, allow_downgrade=allow_downgrade)
    if not changed(before, after) and before.review_at == after.review_at:
        return before
    after = replace(after, version=before.version + 1)
    return replace(after, notices=notices_for(program, before, after, now))
