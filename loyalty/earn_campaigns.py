"""Seasonal earning campaigns: time-boxed multipliers and bonuses on top of the program's rules.

A campaign raises what an order earns while it runs ("Ramadan double points"): a
`multiplier` on the rate part of what is paid, and/or `bonus_points` once per order. It covers
the whole order, or only the lines of some categories or SKUs, and may be limited to members
of one segment or one tier (exactly that tier, as a push campaign's audience).

Overlapping campaigns combine by one rule (`combine`): on each part of an order the best
multiplier wins (multipliers never stack with each other; they do stack with the tier's
multiplier and a category or SKU earning rule), and the bonuses of every campaign that covers
the order add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from loyalty.program import LocalizedText
from loyalty.segments import Segment

# An order earns the campaigns running when it was placed. Orders arrive late (a store that
# credits on delivery, a backfill), so campaigns that ended up to this long ago are kept at
# hand; an order placed in a campaign that ended longer ago than this earns without it.
RECENT_CAMPAIGNS = timedelta(days=366)
# A merchant runs a handful a season; this bounds what each order reads (from a cache).
MAX_RECENT_CAMPAIGNS = 500


@dataclass(frozen=True)
class EarnCampaign:
    id: str
    name: LocalizedText
    starts_at: datetime
    ends_at: datetime  # exclusive: the first instant the campaign no longer runs
    created_at: datetime
    multiplier: Decimal | None = None
    bonus_points: int | None = None
    categories: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    segment: Segment | None = None
    tier_id: str | None = None

    @property
    def covers_everything(self) -> bool:
        return not self.categories and not self.skus

    def active_at(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def open_to(self, segment: Segment, tier_id: str) -> bool:
        """Whether a member in `segment` enjoying `tier_id` takes part."""
        if self.segment is not None and self.segment is not segment:
            return False
        return self.tier_id is None or self.tier_id == tier_id

    def covers_line(self, sku: str, category: str | None) -> bool:
        if self.covers_everything or sku in self.skus:
            return True
        folded = category.casefold() if category is not None else None
        return folded is not None and any(c.casefold() == folded for c in self.categories)


def running(
    campaigns: list[EarnCampaign] | tuple[EarnCampaign, ...],
    moment: datetime,
    segment: Segment,
    tier_id: str,
) -> tuple[EarnCampaign, ...]:
    """The campaigns an order placed at `moment` by such a member takes part in, in a stable
    order (earliest start first), so ties between equal multipliers are decided the same way
    every time."""
    chosen = [c for c in campaigns if c.active_at(moment) and c.open_to(segment, tier_id)]
    return tuple(sorted(chosen, key=lambda c: (c.starts_at, c.id)))


@dataclass(frozen=True)
class Boost:
    """What campaigns add to one part of an order: the winning multiplier and whose it is."""

    multiplier: Decimal
    campaign_id: str | None


NO_BOOST = Boost(Decimal(1), None)


def best_multiplier(campaigns: tuple[EarnCampaign, ...]) -> Boost:
    """The best multiplier among `campaigns` (the first of equals wins); none below 1."""
    best = NO_BOOST
    for campaign in campaigns:
        if campaign.multiplier is not None and campaign.multiplier > best.multiplier:
            best = Boost(campaign.multiplier, campaign.id)
    return best


@dataclass(frozen=True)
class Combined:
    """What overlapping campaigns add to an order: the boost of each line, the boost of what
    is not itemised (shipping, fees, or a whole order without lines: whole-order campaigns
    only), and the campaigns whose bonus the order earns (every campaign that covers the whole
    order or at least one of its lines)."""

    lines: tuple[Boost, ...]
    rest: Boost
    bonus_from: tuple[EarnCampaign, ...]

    @property
    def bonus(self) -> int:
        return sum(c.bonus_points or 0 for c in self.bonus_from)


def combine(
    campaigns: tuple[EarnCampaign, ...], lines: tuple[tuple[str, str | None], ...]
) -> Combined:
    """The documented rule for overlapping campaigns: best multiplier wins, bonuses add up.
    `lines` are (sku, category)."""
    whole = tuple(c for c in campaigns if c.covers_everything)
    per_line = tuple(
        best_multiplier(tuple(c for c in campaigns if c.covers_line(*line))) for line in lines
    )
    bonus_from = tuple(
        c
        for c in campaigns
        if c.bonus_points and (c.covers_everything or any(c.covers_line(*ln) for ln in lines))
    )
    return Combined(per_line, best_multiplier(whole), bonus_from)


def joined_names(campaigns: tuple[EarnCampaign, ...]) -> LocalizedText:
    """The names as a transaction's reason shows them, in both languages (each falling back
    to the other when the merchant named a campaign in one only)."""
    ar = "، ".join(c.name.pick("ar") or c.id for c in campaigns)
    en = ", ".join(c.name.pick("en") or c.id for c in campaigns)
    return LocalizedText(ar=ar, en=en)
