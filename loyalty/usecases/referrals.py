"""applyReferralCode, and paying both sides once the referee's first order is past its
return window (right away when the program has none, otherwise by the scheduled job)."""

from __future__ import annotations

from loyalty.badges import BadgeRule
from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.orders import Order
from loyalty.ports import Deps
from loyalty.referrals import Referral, ReferralStatus, kept_through_window, normalize_code
from loyalty.rule_pending import PendingRule
from loyalty.tenants import Tenant
from loyalty.usecases import badges
from loyalty.usecases.batches import work_through
from loyalty.usecases.moves import grant

FIELD = ("code",)
MAX_CHAIN = 64  # referral chains are short; the bound only protects against bad data
BATCH = 500


async def _leads_to(deps: Deps, tenant: str, start_id: str, target_id: str) -> bool:
    """True when following referrers up from `start_id` reaches `target_id`."""
    current: str | None = start_id
    for _ in range(MAX_CHAIN):
        if current is None:
            return False
        if current == target_id:
            return True
        member = await deps.members.get(tenant, current)
        current = member.referred_by if member else None
    return False


async def apply_referral_code(deps: Deps, tenant: Tenant, member: Member, code: str) -> Member:
    """Natural key: the member. Applying the same code again returns the member as linked."""
    clean = normalize_code(code)
    referrer_id = await deps.standing.by_referral_code(tenant.slug, clean) if clean else None
    if referrer_id is None:
        raise DomainError(ErrorCode.REFERRAL_CODE_INVALID, FIELD)
    fresh = await deps.members.get(tenant.slug, member.id)
    if fresh is None:
        raise DomainError(ErrorCode.MEMBER_NOT_FOUND)
    if referrer_id == fresh.id:
        raise DomainError(ErrorCode.SELF_REFERRAL, FIELD)
    if fresh.referred_by == referrer_id:
        return await _linked(deps, tenant, fresh, referrer_id)  # a retry: finish and answer
    if fresh.referred_by is not None:
        raise DomainError(ErrorCode.ALREADY_REFERRED, FIELD)
    if fresh.first_order_at is not None:
        raise DomainError(ErrorCode.NOT_A_NEW_CUSTOMER, FIELD)
    if await _leads_to(deps, tenant.slug, referrer_id, fresh.id):
        raise DomainError(ErrorCode.CIRCULAR_REFERRAL, FIELD)
    if not await deps.standing.set_referrer(tenant.slug, fresh.id, referrer_id):
        again = await deps.members.get(tenant.slug, fresh.id)
        if again is not None and again.referred_by == referrer_id:
            return await _linked(deps, tenant, again, referrer_id)
        raise DomainError(ErrorCode.ALREADY_REFERRED, FIELD)
    # Two members entering each other's codes at once both pass the check above; looking
    # again after the write catches it (at worst both are undone, never a circle kept).
    if await _leads_to(deps, tenant.slug, referrer_id, fresh.id):
        await deps.standing.clear_referrer(tenant.slug, fresh.id, referrer_id)
        raise DomainError(ErrorCode.CIRCULAR_REFERRAL, FIELD)
    return await _linked(deps, tenant, fresh, referrer_id)


async def _linked(deps: Deps, tenant: Tenant, member: Member, referrer_id: str) -> Member:
    now = deps.clock.now()
    await deps.referrals.link(Referral(tenant.slug, member.id, referrer_id, now))
    linked = await deps.members.get(tenant.slug, member.id)
    assert linked is not None
    return linked


async def on_order(deps: Deps, tenant: Tenant, member: Member, order: Order) -> bool:
    """The referee's first order starts the wait; with no return window it pays at once (then
    True: points moved)."""
    if member.referred_by is None:
        return False
    referral = await deps.referrals.get(tenant.slug, member.id)
    if referral is not None and referral.status is ReferralStatus.LINKED:
        due_at = tenant.program.available_at(order.placed_at)
        await deps.referrals.set_first_order(tenant.slug, member.id, order.order_id, due_at)
        referral = await deps.referrals.get(tenant.slug, member.id)
    if referral is None or referral.status is not ReferralStatus.PENDING:
        return False
    if referral.due_at is not None and referral.due_at <= deps.clock.now():
        await settle(deps, tenant, referral)
        return True
    return False


async def settle(deps: Deps, tenant: Tenant, referral: Referral) -> ReferralStatus:
    """Idempotent: grants carry deterministic operation ids and events dedupe by key, so two
    scheduler instances (or a retry after a crash) pay each side exactly once."""
    assert referral.first_order_id is not None and referral.due_at is not None
    now = deps.clock.now()
    order = await deps.orders.get(tenant.slug, referral.first_order_id)
    if order is None or not kept_through_window(order, referral.due_at):
        await deps.referrals.settle(tenant.slug, referral.referee_id, ReferralStatus.VOID, now)
        return ReferralStatus.VOID
    policy = tenant.program.referral
    sides = (
        ("referrer", referral.referrer_id, policy.referrer_points),
        ("referee", referral.referee_id, policy.referee_points),
    )
    for side, member_id, points in sides:
        if points <= 0:
            continue
        await grant(
            deps,
            tenant,
            member_id,
            op_id=f"referral:{referral.referee_id}:{side}",
            points=points,
            type_=TransactionType.EARN,
            reason=Reason(f"reason.referral.{side}"),
            at=now,
            pending=PendingRule.REFERRAL_REWARDS,
        )
        data: dict[str, str | int | None] = {
            "side": side,
            "points": points,
            "referee_id": referral.referee_id,
            "referrer_id": referral.referrer_id,
        }
        event = MemberEvent(
            tenant.slug,
            member_id,
            MemberEventKind.REFERRAL_REWARDED,
            f"{referral.referee_id}:{side}",
            now,
            data,
        )
        await deps.member_events.record(event)
    # The referrer's badges are settled before the referral is marked: once it is marked no
    # retry comes back here, so a failure in between would lose the badge. Evaluated again
    # after the mark for referrals of the same referrer settling at the same time.
    rules = {BadgeRule.REFERRAL_COUNT}
    await badges.evaluate(
        deps, tenant, referral.referrer_id, rules, settling_referral=referral.referee_id
    )
    await deps.referrals.settle(tenant.slug, referral.referee_id, ReferralStatus.REWARDED, now)
    await badges.evaluate(deps, tenant, referral.referrer_id, rules)
    return ReferralStatus.REWARDED


async def settle_due_referrals(deps: Deps, tenant: Tenant, max_batches: int = 20) -> int:
    """The scheduled job: only referrals whose window ended (index tenant_status_due_at)."""

    async def settle_one(referral: Referral) -> int:
        await settle(deps, tenant, referral)
        return 1

    return await work_through(
        lambda size: deps.referrals.due(tenant.slug, deps.clock.now(), size),
        settle_one,
        BATCH,
        max_batches,
        identity=lambda referral: referral.referee_id,
    )
