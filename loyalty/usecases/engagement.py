"""What follows an order for the member's standing: tier upgrade, segment, order dates,
referral, badges and (through the member event log) everything that reacts to those.

The member is read once (by the order's caller) and their orders once, after the order's own
insert, so the read includes it. Tier, segment and badge facts are computed from that one read;
tier, segment and order dates are written in the same conditional update as the order's credit
(an attempt that loses a race reads the member and the orders again). Each step is idempotent,
so a retried order runs them again harmlessly."""

from __future__ import annotations

from datetime import datetime

from loyalty.members import Member
from loyalty.orders import Order, PastOrder
from loyalty.ports import Deps, MemberRead, StandingChange, WalletOperation
from loyalty.program import Program
from loyalty.segments import segment, segment_review_at
from loyalty.tenants import Tenant
from loyalty.tiers import TierNotice, reevaluated
from loyalty.usecases import badges, referrals, segments, tiers
from loyalty.usecases.moves import move


def standing_after(
    program: Program,
    member: Member,
    orders: list[PastOrder],
    now: datetime,
    order_at: datetime,
    settled_badges: frozenset[str] | None,
) -> StandingChange:
    """Orders only upgrade: a drop waits for the scheduled review and its grace period."""
    value = tiers.value_of(program, orders, now)
    tier = reevaluated(program, member.tier, value, now, allow_downgrade=False)
    activity = segments.activity_of(program.segments, orders, now)
    policy = program.segments
    return StandingChange(
        tier=tier,
        segment=segment(policy, activity, now),
        segment_review_at=segment_review_at(policy, activity, now),
        order_at=order_at,
        badges=settled_badges,
    )


async def record_order_effects(
    deps: Deps,
    tenant: Tenant,
    order: Order,
    read: MemberRead,
    credit: WalletOperation | None,
    *,
    first_attempt: bool,
) -> Member:
    """Credits the order (when it earns) and saves the standing it changes, then announces
    and awards what follows. Returns the member as it then is."""
    slug, member_id = tenant.slug, order.member_id
    open_badges = await badges.open_order_badges(deps, tenant, read)
    lines = open_badges.needs_lines
    reads = [await deps.orders.member_orders_since(slug, member_id, None, lines=lines)]
    recorded: list[tuple[TierNotice, ...]] = []

    async def standing(member: Member) -> StandingChange:
        # The first attempt uses the read above; one that lost a race reads again.
        if len(reads) > len(recorded):
            orders = reads[-1]
        else:
            orders = await deps.orders.member_orders_since(slug, member_id, None, lines=lines)
            reads.append(orders)
        # Owed by an earlier change (a failure may have come between its save and its
        # record): recorded before this update replaces them.
        await tiers.record_notices(deps, member, member.tier.notices)
        recorded.append(member.tier.notices)
        now = deps.clock.now()
        return standing_after(
            tenant.program, member, orders, now, order.placed_at, open_badges.settled
        )

    if credit is not None:
        op_id = f"order:{order.order_id}"
        applied = await move(
            deps,
            slug,
            member_id,
            op_id,
            credit,
            maybe_applied=not first_attempt,
            read=read,
            standing=standing,
        )
        member = applied.member
    else:
        member = await deps.members.save_standing(slug, member_id, standing, read=read)
    if member.tier.notices != recorded[-1]:
        await tiers.record_notices(deps, member, member.tier.notices)
    await tiers.announce_trial_ending(deps, member, deps.clock.now())
    paid = await referrals.on_order(deps, tenant, member, order)
    # After the tier is saved, so that a tier reached by this very order earns its badge now.
    awarded = await badges.award_after_order(
        deps, tenant, member, open_badges, reads[-1], order.order_id
    )
    if paid or any(badge.bonus_points > 0 for badge in awarded):
        # A referral payout or a badge bonus moved points after the update above.
        fresh = await deps.members.get(slug, member_id)
        assert fresh is not None
        return fresh
    return member
