"""Badges: merchant-defined achievements and how far a member is from each. Pure: the use
cases gather the member's own facts (their orders, reviews, referrals, tier) and ask here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from loyalty.orders import PastOrder
from loyalty.program import LocalizedText, Program
from loyalty.tiers import tier_of


class BadgeRule(StrEnum):
    FIRST_ORDER = "FIRST_ORDER"
    ORDER_COUNT = "ORDER_COUNT"  # goal: orders
    REVIEW_COUNT = "REVIEW_COUNT"  # goal: product reviews
    REFERRAL_COUNT = "REFERRAL_COUNT"  # goal: referrals that were rewarded
    TIER_REACHED = "TIER_REACHED"  # tier_id, reached on the member's own (a trial does not count)
    CATEGORY_SPEND = "CATEGORY_SPEND"  # goal: currency units spent in `category`
    MONTHLY_STREAK = "MONTHLY_STREAK"  # goal: consecutive calendar months with an order


ORDER_RULES = frozenset(
    {
        BadgeRule.FIRST_ORDER,
        BadgeRule.ORDER_COUNT,
        BadgeRule.CATEGORY_SPEND,
        BadgeRule.MONTHLY_STREAK,
        BadgeRule.TIER_REACHED,
    }
)
# Rules whose goal is fixed at 1: the thing happened or it did not.
SINGLE_STEP = frozenset({BadgeRule.FIRST_ORDER, BadgeRule.TIER_REACHED})


@dataclass(frozen=True)
class Badge:
    id: str
    name: LocalizedText
    rule: BadgeRule
    goal: int
    created_at: datetime
    description: LocalizedText = field(default_factory=LocalizedText)
    icon: str | None = None
    category: str | None = None
    tier_id: str | None = None
    bonus_points: int = 0
    active: bool = True


@dataclass(frozen=True)
class BadgeAward:
    """Unique per member and badge; `settled` once its bonus and event are done."""

    tenant: str
    member_id: str
    badge_id: str
    earned_at: datetime
    settled: bool = False
    # The order that reached it and the bonus it paid: a full refund of that order inside its
    # window takes the bonus back (issue 11). None / 0 on awards not reached by an order.
    order_id: str | None = None
    bonus_points: int = 0


@dataclass(frozen=True)
class Facts:
    orders: int = 0
    reviews: int = 0
    referrals: int = 0
    tier_id: str = "base"
    category_spend: Mapping[str, Decimal] = field(default_factory=dict)
    order_months: frozenset[tuple[int, int]] = frozenset()


def order_facts(orders: Iterable[PastOrder], program: Program) -> Facts:
    """Orders refunded in full do not count; a partial refund lowers each line's spend in
    proportion. Months are calendar months in the program's time zone."""
    zone = program.zone()
    count = 0
    spend: dict[str, Decimal] = {}
    months: set[tuple[int, int]] = set()
    for order in orders:
        if order.refunded >= order.total:
            continue
        count += 1
        local = order.placed_at.astimezone(zone)
        months.add((local.year, local.month))
        kept = (order.total - order.refunded) / order.total
        for line in order.lines:
            key = line.category.casefold()
            spend[key] = spend.get(key, Decimal(0)) + line.amount * kept
    return Facts(orders=count, category_spend=spend, order_months=frozenset(months))


def longest_streak(months: Iterable[tuple[int, int]]) -> int:
    """The longest run of consecutive calendar months (December then January continues)."""
    indexes = sorted({year * 12 + month - 1 for year, month in months})
    best = run = 0
    previous: int | None = None
    for index in indexes:
        run = run + 1 if previous is not None and index == previous + 1 else 1
        best = max(best, run)
        previous = index
    return best


def raw_progress(badge: Badge, facts: Facts, program: Program) -> int:
    if badge.rule is BadgeRule.FIRST_ORDER:
        return min(facts.orders, 1)
    if badge.rule is BadgeRule.ORDER_COUNT:
        return facts.orders
    if badge.rule is BadgeRule.REVIEW_COUNT:
        return facts.reviews
    if badge.rule is BadgeRule.REFERRAL_COUNT:
        return facts.referrals
    if badge.rule is BadgeRule.TIER_REACHED:
        target = program.tier(badge.tier_id or "")
        if target is None:
            return 0  # the tier was removed: nobody can reach it any more
        return int(tier_of(program, facts.tier_id).rank >= target.rank)
    if badge.rule is BadgeRule.CATEGORY_SPEND:
        spent = facts.category_spend.get((badge.category or "").casefold(), Decimal(0))
        return int(spent)
    return longest_streak(facts.order_months)


def progress(badge: Badge, facts: Facts, program: Program) -> int:
    """Towards `badge.goal`, never beyond it."""
    return min(raw_progress(badge, facts, program), badge.goal)
