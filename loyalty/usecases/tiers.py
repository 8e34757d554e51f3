"""Tier evaluation for one member: on orders (upgrades only) and on the scheduled review
(downgrades after grace, trials ending). Every change is announced in the member event log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from loyalty.engagement_settings import TierMetric
from loyalty.errors import DomainError, ErrorCode
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.orders import PastOrder
from loyalty.ports import Deps
from loyalty.program import Program
from loyalty.tenants import Tenant
from loyalty.tiers import TierNotice, TierState, reevaluated, window_start
from loyalty.usecases.batches import work_through

ATTEMPTS = 16
ENDING_SOON_DAYS = (1, 3)  # tightest first: on day 6 of 7 the 1-day notice is due


def value_of(program: Program, orders: Iterable[PastOrder], now: datetime) -> Decimal:
    """Net of refunds, inside the policy's window: a fully refunded order neither counts as an
    order nor as spend."""
    since = window_start(program.tier_policy, now, program.zone())
    kept = [o for o in orders if since is None or o.placed_at >= since]
    metric = program.tier_policy.metric
    if metric is TierMetric.ORDERS:
        return Decimal(sum(1 for o in kept if o.refunded < o.total))
    if metric is TierMetric.SPEND:
        return sum((o.total - o.refunded for o in kept), Decimal(0))
    return Decimal(sum(o.points - o.clawed_points for o in kept))


async def qualifying_value(deps: Deps, program: Program, member_id: str, tenant: str) -> Decimal:
    now = deps.clock.now()
    since = window_start(program.tier_policy, now, program.zone())
    orders = await deps.orders.member_orders_since(tenant, member_id, since)
    return value_of(program, orders, now)


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
        # Owed by the change that saved them (a failure may have come between its save and
        # its record): recorded before this evaluation's save replaces them.
        await record_notices(deps, member, before.notices)
        after = reevaluated(program, before, value, now, allow_downgrade=scheduled)
        if after is before:
            await announce_trial_ending(deps, member, now)
            return before
        if await deps.standing.save_tier(tenant.slug, member_id, before.version, after):
            await record_notices(deps, member, after.notices)
            await announce_trial_ending(deps, member, now, after)
            return after
    raise DomainError(ErrorCode.IN_PROGRESS)


async def record_notices(deps: Deps, member: Member, notices: Iterable[TierNotice]) -> None:
    for notice in notices:
        event = MemberEvent(
            member.tenant, member.id, notice.kind, notice.key, notice.at, notice.data
        )
        await deps.member_events.record(event)


async def _record(
    deps: Deps,
    member: Member,
    kind: MemberEventKind,
    key: str,
    at: datetime,
    data: dict[str, str | int | None],
) -> None:
    await deps.member_events.record(MemberEvent(member.tenant, member.id, kind, key, at, data))


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
