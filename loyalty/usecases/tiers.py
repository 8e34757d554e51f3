"""Tier evaluation for one member: on orders (upgrades only) and on the scheduled review
(downgrades after grace, trials ending). Every change is announced in the member event log."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from loyalty.engagement_settings import TierMetric
from loyalty.errors import DomainError, ErrorCode
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.program import Program
from loyalty.tenants import Tenant
from loyalty.tiers import TierState, changed, evaluate, tier_of, window_start
from loyalty.usecases.batches import work_through

ATTEMPTS = 16
ENDING_SOON_DAYS = (1, 3)  # tightest first: on day 6 of 7 the 1-day notice is due


async def qualifying_value(deps: Deps, program: Program, member_id: str, tenant: str) -> Decimal:
    """Net of refunds: a fully refunded order neither counts as an order nor as spend."""
    since = window_start(program.tier_policy, deps.clock.now())
    orders = await deps.orders.member_orders_since(tenant, member_id, since)
    metric = program.tier_policy.metric
    if metric is TierMetric.ORDERS:
        return Decimal(sum(1 for o in orders if o.refunded < o.total))
    if metric is TierMetric.SPEND:
        return sum((o.total - o.refunded for o in orders), Decimal(0))
    return Decimal(sum(o.points - o.clawed_points for o in orders))


async def reevaluate(
    deps: Deps, tenant: Tenant, member_id: str, *, scheduled: bool
) -> TierState | None:
    """Re-reads and retries when another evaluation won the race; None if the member is gone."""
    program = tenant.program
    for _ in range(ATTEMPTS):
        member = await deps.members.get(tenant.slug, member_id)
        if member is None:
            return None
        now = deps.clock.now()
        value = await qualifying_value(deps, program, member_id, tenant.slug)
        before = member.tier
        after = evaluate(program, before, value, now, allow_downgrade=scheduled)
        if not changed(before, after) and before.review_at == after.review_at:
            await announce_trial_ending(deps, member, now)
            return before
        after = replace(after, version=before.version + 1)
        if await deps.standing.save_tier(tenant.slug, member_id, before.version, after):
            await announce(deps, program, member, before, after, now)
            return after
    raise DomainError(ErrorCode.IN_PROGRESS)


async def _record(
    deps: Deps,
    member: Member,
    kind: MemberEventKind,
    key: str,
    at: datetime,
    data: dict[str, str | int | None],
) -> None:
    await deps.member_events.record(MemberEvent(member.tenant, member.id, kind, key, at, data))


async def announce(
    deps: Deps,
    program: Program,
    member: Member,
    before: TierState,
    after: TierState,
    now: datetime,
) -> None:
    """The event key is the new version: unique per change, the same on a retried record."""
    old, new = tier_of(program, before.qualified_id), tier_of(program, after.qualified_id)
    if new.rank != old.rank:
        kind = (
            MemberEventKind.TIER_UPGRADED
            if new.rank > old.rank
            else MemberEventKind.TIER_DOWNGRADED
        )
        data: dict[str, str | int | None] = {"tier_id": new.id, "from_tier_id": old.id}
        await _record(deps, member, kind, f"v{after.version}", now, data)
    trial = before.trial
    if trial is not None and after.trial is None and trial.ends_at <= now:
        kept = tier_of(program, after.qualified_id).rank >= tier_of(program, trial.tier_id).rank
        kind = MemberEventKind.VIP_TRIAL_CONVERTED if kept else MemberEventKind.VIP_TRIAL_ENDED
        data = {"tier_id": trial.tier_id, "ends_at": trial.ends_at.isoformat()}
        await _record(deps, member, kind, trial.started_at.isoformat(), now, data)
    await announce_trial_ending(deps, member, now, after)


async def announce_trial_ending(
    deps: Deps, member: Member, now: datetime, state: TierState | None = None
) -> None:
    """3 and 1 days before the end, once each (the key carries the threshold)."""
    trial = (state or member.tier).trial
    if trial is None or trial.ends_at <= now:
        return
    for days in ENDING_SOON_DAYS:
        if trial.ends_at - timedelta(days=days) <= now < trial.ends_at:
            data: dict[str, str | int | None] = {
                "tier_id": trial.tier_id,
                "ends_at": trial.ends_at.isoformat(),
                "days_left": days,
            }
            key = f"{trial.started_at.isoformat()}:{days}d"
            await _record(deps, member, MemberEventKind.VIP_TRIAL_ENDING_SOON, key, now, data)
            return


REVIEW_BATCH = 500


async def review_due_tiers(deps: Deps, tenant: Tenant, max_batches: int = 20) -> int:
    """The scheduled re-evaluation: only members whose review time came (index on
    tier_status.review_at), so the job's cost follows the tiered members, not all members."""

    async def review_one(member_id: str) -> int:
        await reevaluate(deps, tenant, member_id, scheduled=True)
        return 1

    return await work_through(
        lambda size: deps.standing.tier_review_due(tenant.slug, deps.clock.now(), size),
        review_one,
        REVIEW_BATCH,
        max_batches,
    )
