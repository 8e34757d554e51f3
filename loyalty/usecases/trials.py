"""VIP trials: a member claims the program's offer, or the merchant grants one. During the
trial the member enjoys the trial tier; the scheduled tier review ends it (converted when they
qualified meanwhile). One trial per member per cooldown period."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from loyalty.engagement_settings import VipTrialOffer
from loyalty.errors import DomainError, ErrorCode
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.program import Tier
from loyalty.tenants import Tenant
from loyalty.tiers import Trial, effective_tier, evaluate
from loyalty.usecases.members import require_member
from loyalty.usecases.tiers import qualifying_value

ATTEMPTS = 16
DEFAULT_COOLDOWN_DAYS = 365
MAX_DAYS = 365


async def claim_vip_trial(deps: Deps, tenant: Tenant, member: Member) -> Member:
    offer = tenant.program.vip_trial_offer
    tier = tenant.program.tier(offer.tier_id) if offer is not None else None
    if offer is None or tier is None:
        raise DomainError(ErrorCode.NO_VIP_TRIAL_OFFER)
    orders = await deps.orders.member_orders_since(tenant.slug, member.id, None)
    if sum(1 for o in orders if o.refunded < o.total) < offer.min_orders:
        raise DomainError(ErrorCode.VIP_TRIAL_NOT_ELIGIBLE, orders=offer.min_orders)
    return await _start(deps, tenant, member.id, tier, offer.days, offer, granted=False)


async def grant_vip_trial(
    deps: Deps, tenant: Tenant, *, member_external_id: str, tier_id: str, days: int
) -> Member:
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "days"), min=1, max=MAX_DAYS)
    tier = tenant.program.tier(tier_id)
    if tier is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "tierId"))
    member = await require_member(deps, tenant, member_external_id, ("input", "memberExternalId"))
    offer = tenant.program.vip_trial_offer
    return await _start(deps, tenant, member.id, tier, days, offer, granted=True)


async def _start(
    deps: Deps,
    tenant: Tenant,
    member_id: str,
    tier: Tier,
    days: int,
    offer: VipTrialOffer | None,
    *,
    granted: bool,
) -> Member:
    program = tenant.program
    cooldown = timedelta(days=offer.cooldown_days if offer else DEFAULT_COOLDOWN_DAYS)
    field = ("input", "tierId") if granted else None
    for _ in range(ATTEMPTS):
        member = await deps.members.get(tenant.slug, member_id)
        if member is None:
            raise DomainError(ErrorCode.MEMBER_NOT_FOUND)
        now = deps.clock.now()
        state = member.tier
        active = state.trial if state.trial and state.trial.ends_at > now else None
        if active is not None and active.tier_id == tier.id and active.granted == granted:
            # A retry of the call that started it: the first result, and the event the first
            # attempt may not have recorded (same key: recorded once).
            await _announce(deps, tenant, member_id, active)
            return member
        if effective_tier(program, state, now).rank >= tier.rank:
            audience = "admin" if granted else "member"
            raise DomainError(ErrorCode.TIER_ALREADY_HELD, field, variant=audience)
        if state.last_trial_at is not None and now < state.last_trial_at + cooldown:
            # The calendar day in the program's zone; the message formats it per locale.
            again = (state.last_trial_at + cooldown).astimezone(program.zone()).date()
            raise DomainError(ErrorCode.VIP_TRIAL_ALREADY_USED, field, date=again)
        trial = Trial(tier.id, now, now + timedelta(days=days), granted)
        value = await qualifying_value(deps, program, member_id, tenant.slug)
        started = evaluate(program, replace(state, trial=trial), value, now, allow_downgrade=False)
        started = replace(started, last_trial_at=now, version=state.version + 1)
        if await deps.standing.save_tier(tenant.slug, member_id, state.version, started):
            await _announce(deps, tenant, member_id, trial)
            fresh = await deps.members.get(tenant.slug, member_id)
            assert fresh is not None
            return fresh
    raise DomainError(ErrorCode.IN_PROGRESS)


async def _announce(deps: Deps, tenant: Tenant, member_id: str, trial: Trial) -> None:
    data: dict[str, str | int | None] = {
        "tier_id": trial.tier_id,
        "ends_at": trial.ends_at.isoformat(),
        "granted": int(trial.granted),
    }
    started = trial.started_at
    await deps.member_events.record(
        MemberEvent(
            tenant.slug,
            member_id,
            MemberEventKind.VIP_TRIAL_STARTED,
            started.isoformat(),
            started,
            data,
        )
    )
