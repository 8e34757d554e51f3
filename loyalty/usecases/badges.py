"""Awarding badges when something relevant happens, and each member's badge progress.

Everything is computed from the member's own data (their orders by index, their review
count, their rewarded referrals, their tier): never a scan over other members."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from loyalty.badges import (
    ORDER_RULES,
    Badge,
    BadgeAward,
    BadgeRule,
    Facts,
    order_facts,
    progress,
)
from loyalty.ledger import Reason, TransactionType
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.orders import PastOrder
from loyalty.ports import Deps, MemberRead
from loyalty.program import ActivityType
from loyalty.referrals import ReferralStatus
from loyalty.rule_pending import PendingRule
from loyalty.tenants import Tenant
from loyalty.usecases.moves import grant

_ORDER_BASED = {
    BadgeRule.FIRST_ORDER,
    BadgeRule.ORDER_COUNT,
    BadgeRule.CATEGORY_SPEND,
    BadgeRule.MONTHLY_STREAK,
}


async def facts_for(
    deps: Deps,
    tenant: Tenant,
    member: Member,
    rules: set[BadgeRule],
    settling_referral: str | None = None,
) -> Facts:
    """Reads only what the rules at hand need. `settling_referral` (a referee) counts as
    rewarded before its status says so."""
    facts = Facts(tier_id=member.tier.qualified_id)
    if rules & _ORDER_BASED:
        lines = BadgeRule.CATEGORY_SPEND in rules
        orders = await deps.orders.member_orders_since(tenant.slug, member.id, None, lines=lines)
        facts = replace(order_facts(orders, tenant.program), tier_id=facts.tier_id)
    if BadgeRule.REVIEW_COUNT in rules:
        reviews = await deps.activities.count(
            tenant.slug, member.id, ActivityType.PRODUCT_REVIEW.value
        )
        facts = replace(facts, reviews=reviews)
    if BadgeRule.REFERRAL_COUNT in rules:
        referrals = await deps.referrals.count_rewarded(tenant.slug, member.id)
        if settling_referral is not None:
            # Read after the count: a concurrent settlement marking it in between is then
            # left out (the badge waits for the evaluation after the mark), never counted twice.
            referral = await deps.referrals.get(tenant.slug, settling_referral)
            if referral is not None and referral.status is not ReferralStatus.REWARDED:
                referrals += 1
        facts = replace(facts, referrals=referrals)
    return facts


async def evaluate(
    deps: Deps,
    tenant: Tenant,
    member_id: str,
    rules: Collection[BadgeRule],
    *,
    settling_referral: str | None = None,
) -> list[str]:
    """Awards every badge of these rules the member has reached; returns the ids newly
    settled. Safe to repeat and to run concurrently: the award is unique per member and
    badge, the bonus has a fixed operation id and the event a fixed key."""
    badges = [b for b in await deps.badges.list(tenant.slug) if b.active and b.rule in rules]
    if not badges:
        return []
    read = await deps.members.read(tenant.slug, member_id)
    if read is None:
        return []
    member = read.member
    awards = {a.badge_id: a for a in await deps.badge_awards.for_member(tenant.slug, member_id)}
    open_badges = [b for b in badges if b.id not in awards]
    open_rules = {b.rule for b in open_badges}
    facts = await facts_for(deps, tenant, member, open_rules, settling_referral)
    now = deps.clock.now()
    settled = []
    for badge in badges:
        award = awards.get(badge.id)
        if award is None:
            if progress(badge, facts, tenant.program) < badge.goal:
                continue
            award, _ = await deps.badge_awards.insert(
                BadgeAward(tenant.slug, member_id, badge.id, now)
            )
        if not award.settled:
            # Also finishes an award whose bonus a crash interrupted.
            await _settle(deps, tenant, member, badge, award.earned_at)
            settled.append(badge.id)
        elif read.badges is not None and badge.id not in read.badges:
            # Settled, but a failure came before the member was told.
            await deps.standing.note_badge(tenant.slug, member_id, badge.id)
    return settled


async def _settle(
    deps: Deps, tenant: Tenant, member: Member, badge: Badge, earned_at: datetime
) -> None:
    if badge.bonus_points > 0:
        await grant(
            deps,
            tenant,
            member.id,
            op_id=f"badge:{badge.id}",
            points=badge.bonus_points,
            type_=TransactionType.EARN,
            reason=Reason("reason.badge", {"badge": badge.name.pick(member.locale) or badge.id}),
            at=earned_at,
            pending=PendingRule.BADGE_BONUSES,
        )
    data: dict[str, str | int | None] = {"badge_id": badge.id, "points": badge.bonus_points}
    await deps.member_events.record(
        MemberEvent(tenant.slug, member.id, MemberEventKind.BADGE_EARNED, badge.id, earned_at, data)
    )
    await deps.badge_awards.mark_settled(tenant.slug, member.id, badge.id)
    await deps.standing.note_badge(tenant.slug, member.id, badge.id)


@dataclass(frozen=True)
class OpenBadges:
    """The active order badges a member has not settled. `settled` is set when it had to be
    read from the awards (a member from before settled badges were kept on the member): the
    order's update then keeps it on the member."""

    badges: tuple[Badge, ...]
    settled: frozenset[str] | None = None

    @property
    def needs_lines(self) -> bool:
        return any(b.rule is BadgeRule.CATEGORY_SPEND for b in self.badges)


async def open_order_badges(deps: Deps, tenant: Tenant, read: MemberRead) -> OpenBadges:
    """From the (cached) definitions and the settled ids kept on the member: no read of the
    awards on an order, except once for a member from before they were kept there."""
    badges = [b for b in await deps.badges.list(tenant.slug) if b.active and b.rule in ORDER_RULES]
    if read.badges is not None or not badges:
        return OpenBadges(tuple(b for b in badges if b.id not in (read.badges or ())))
    awards = await deps.badge_awards.for_member(tenant.slug, read.member.id)
    settled = frozenset(a.badge_id for a in awards if a.settled)
    return OpenBadges(tuple(b for b in badges if b.id not in settled), settled)


async def award_after_order(
    deps: Deps,
    tenant: Tenant,
    member: Member,
    open_badges: OpenBadges,
    orders: list[PastOrder],
    order_id: str | None = None,
) -> list[Badge]:
    """Awards the open badges the member reached, judged on the orders the order read (which
    include it) and the tier its update saved; returns those newly settled. Safe to repeat
    and to run concurrently like `evaluate`."""
    program = tenant.program
    facts = replace(order_facts(orders, program), tier_id=member.tier.qualified_id)
    now = deps.clock.now()
    settled = []
    for badge in open_badges.badges:
        if progress(badge, facts, program) < badge.goal:
            continue
        reached = BadgeAward(
            tenant.slug,
            member.id,
            badge.id,
            now,
            order_id=order_id,
            bonus_points=badge.bonus_points,
        )
        award, _ = await deps.badge_awards.insert(reached)
        if award.settled:
            # Settled, but the member was not told (a failure before the note): note it now.
            await deps.standing.note_badge(tenant.slug, member.id, badge.id)
            continue
        await _settle(deps, tenant, member, badge, award.earned_at)
        settled.append(badge)
    return settled


@dataclass(frozen=True)
class BadgeProgress:
    badge: Badge
    earned_at: datetime | None
    progress: int


async def member_badges(deps: Deps, tenant: Tenant, member: Member) -> list[BadgeProgress]:
    """Earned badges (even if the merchant retired them since) and the active ones still to
    earn, with progress, in the merchant's order."""
    badges = await deps.badges.list(tenant.slug)
    awards = {a.badge_id: a for a in await deps.badge_awards.for_member(tenant.slug, member.id)}
    shown = [b for b in badges if b.id in awards or b.active]
    open_rules = {b.rule for b in shown if b.id not in awards}
    facts = await facts_for(deps, tenant, member, open_rules)
    result = []
    for badge in shown:
        award = awards.get(badge.id)
        if award is not None:
            result.append(BadgeProgress(badge, award.earned_at, badge.goal))
        else:
            result.append(BadgeProgress(badge, None, progress(badge, facts, tenant.program)))
    return result
