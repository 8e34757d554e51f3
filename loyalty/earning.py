"""How many points an order or an activity earns: pure arithmetic on the program's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from loyalty.earn_campaigns import EarnCampaign, combine
from loyalty.money import floor_points
from loyalty.program import EarningRule, EarningRuleKind, LimitPeriod, Program


@dataclass(frozen=True)
class OrderLine:
    sku: str
    category: str | None
    quantity: int
    unit_price: Decimal

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity


def _line_rule(rules: tuple[EarningRule, ...], line: OrderLine) -> EarningRule | None:
    # A SKU rule is more specific than a category rule; the first match of each kind wins.
    for kind in (EarningRuleKind.SKU, EarningRuleKind.CATEGORY):
        for rule in rules:
            if not rule.active or rule.kind is not kind:
                continue
            if kind is EarningRuleKind.SKU and rule.sku == line.sku:
                return rule
            if (
                kind is EarningRuleKind.CATEGORY
                and line.category is not None
                and rule.category is not None
                and rule.category.casefold() == line.category.casefold()
            ):
                return rule
    return None


@dataclass(frozen=True)
class OrderEarning:
    points: int
    campaigns: tuple[EarnCampaign, ...]  # those that raised the points, for the reason


def order_earning(
    program: Program,
    total: Decimal,
    lines: tuple[OrderLine, ...],
    tier_multiplier: Decimal = Decimal(1),
    campaigns: tuple[EarnCampaign, ...] = (),
) -> OrderEarning:
    """Base rate on the order total; matching lines earn their rule's multiplier on their
    subtotal instead of the base, plus per-unit bonuses. The tier multiplier scales the rate
    part, not fixed bonuses. Lines are scaled down when they add up to more than the total
    (discounts applied at checkout), so points never exceed what was paid.

    `campaigns` (those running for this member when the order was placed) then multiply the
    rate part where they apply and add their bonuses, combined as `earn_campaigns.combine`
    says: the best multiplier wins, bonuses add up."""
    rate = program.earn_rate * tier_multiplier
    combined = combine(campaigns, tuple((line.sku, line.category) for line in lines))
    raised = {c.id for c in combined.bonus_from}
    lines_sum = sum((line.subtotal for line in lines), Decimal(0))
    scale = total / lines_sum if lines_sum > total and lines_sum > 0 else Decimal(1)
    earned = Decimal(0)
    bonus = combined.bonus
    covered = Decimal(0)
    for line, boost in zip(lines, combined.lines, strict=True):
        paid = line.subtotal * scale
        covered += paid
        rule = _line_rule(program.earning_rules, line)
        multiplier = rule.multiplier if rule else Decimal(1)
        earned += paid * rate * multiplier * boost.multiplier
        if rule:
            bonus += rule.bonus_points * line.quantity
        if boost.campaign_id is not None and paid > 0:
            raised.add(boost.campaign_id)
    # Shipping, fees and anything not itemised earn the base rate (and whole-order boosts).
    rest = max(total - covered, Decimal(0))
    earned += rest * rate * combined.rest.multiplier
    if combined.rest.campaign_id is not None and rest > 0:
        raised.add(combined.rest.campaign_id)
    points = floor_points(earned) + bonus
    return OrderEarning(points, tuple(c for c in campaigns if c.id in raised))


def order_points(
    program: Program,
    total: Decimal,
    lines: tuple[OrderLine, ...],
    tier_multiplier: Decimal = Decimal(1),
    campaigns: tuple[EarnCampaign, ...] = (),
) -> int:
    """The points of `order_earning`: what recordOrder credits and a quote announces."""
    return order_earning(program, total, lines, tier_multiplier, campaigns).points


def period_start(period: LimitPeriod, moment: datetime) -> datetime | None:
    """Start of the cap window containing `moment` (in the moment's own zone)."""
    start_of_day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if period is LimitPeriod.DAY:
        return start_of_day
    if period is LimitPeriod.WEEK:
        return start_of_day - timedelta(days=start_of_day.weekday())
    if period is LimitPeriod.MONTH:
        return start_of_day.replace(day=1)
    if period is LimitPeriod.YEAR:
        return start_of_day.replace(month=1, day=1)
    return None


# How long a cap's counter outlives its period: an activity reported late (its occurredAt in
# a period that has ended) still counts against that period's cap within this time.
CAP_GRACE = timedelta(days=31)


def cap_kept_until(period: LimitPeriod, moment: datetime) -> datetime | None:
    """When the counter of the cap window containing `moment` may go (None: never, a
    lifetime cap)."""
    start = period_start(period, moment)
    if start is None:
        return None
    if period is LimitPeriod.DAY:
        end = start + timedelta(days=1)
    elif period is LimitPeriod.WEEK:
        end = start + timedelta(days=7)
    elif period is LimitPeriod.MONTH:
        end = (start + timedelta(days=32)).replace(day=1)
    else:
        end = start.replace(year=start.year + 1)
    return end + CAP_GRACE


def cap_bucket(period: LimitPeriod, moment: datetime) -> str:
    """A stable name for the cap window, used as part of a counter's key."""
    start = period_start(period, moment)
    return "all" if start is None else start.strftime("%Y-%m-%d")
