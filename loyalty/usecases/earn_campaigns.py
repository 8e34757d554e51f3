"""upsertEarnCampaign and earnCampaigns: the merchant's seasonal earning, and the app's banner.

Merchants think in their own time zone ("Ramadan starts at midnight in Riyadh"): an instant
sent without an offset is read in the tenant's zone; one with an offset is that instant.
Stored and answered in UTC.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from loyalty.earn_campaigns import RECENT_CAMPAIGNS, EarnCampaign
from loyalty.earn_presets import FIRST_YEAR, LAST_YEAR, Preset, presets
from loyalty.errors import DomainError, ErrorCode
from loyalty.money import parse_decimal
from loyalty.ports import Deps
from loyalty.program import LocalizedText, Program
from loyalty.segments import Segment
from loyalty.tenants import Tenant

MAX_NAME = 100
MIN_MULTIPLIER = Decimal("1.01")
MAX_MULTIPLIER = Decimal(10)
MAX_BONUS = 1_000_000
MAX_DAYS = 366
MAX_AHEAD = timedelta(days=2 * 366)
MAX_TARGETS = 100
MAX_TARGET = 128
# Campaigns not yet ended, per tenant: each order reads them all (from a cache).
MAX_LIVE = 50


@dataclass(frozen=True)
class EarnCampaignInput:
    id: str | None
    name: LocalizedText
    starts_at: datetime
    ends_at: datetime
    multiplier: str | None = None
    bonus_points: int | None = None
    categories: list[str] | None = None
    skus: list[str] | None = None
    segment: Segment | None = None
    tier_id: str | None = None


def in_zone(moment: datetime, program: Program) -> datetime:
    """An instant: a time without an offset is a wall-clock time in the tenant's zone.
    Milliseconds, as the database keeps them."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=program.zone())
    utc = moment.astimezone(UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def _name(text: LocalizedText) -> LocalizedText:
    ar = (text.ar or "").strip() or None
    en = (text.en or "").strip() or None
    if ar is None and en is None:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "name"), detail="name")
    for locale, value in (("ar", ar), ("en", en)):
        if value is not None and len(value) > MAX_NAME:
            raise DomainError(ErrorCode.TOO_LONG, ("input", "name", locale), max=MAX_NAME)
    return LocalizedText(ar=ar, en=en)


def _multiplier(value: str | None) -> Decimal | None:
    if value is None:
        return None
    field = ("input", "multiplier")
    multiplier = parse_decimal(value, field)
    exponent = multiplier.as_tuple().exponent
    too_precise = isinstance(exponent, int) and exponent < -2
    if too_precise or not MIN_MULTIPLIER <= multiplier <= MAX_MULTIPLIER:
        raise DomainError(ErrorCode.OUT_OF_RANGE, field, min=MIN_MULTIPLIER, max=MAX_MULTIPLIER)
    return multiplier.normalize() if multiplier == multiplier.to_integral() else multiplier


def _targets(values: list[str] | None, name: str, detail: str) -> tuple[str, ...]:
    if not values:
        return ()
    if len(values) > MAX_TARGETS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", name), min=0, max=MAX_TARGETS)
    kept: list[str] = []
    for index, value in enumerate(values):
        text = value.strip()
        if not text or len(text) > MAX_TARGET or not text.isprintable():
            raise DomainError(ErrorCode.INVALID_INPUT, ("input", name, str(index)), detail=detail)
        if text not in kept:
            kept.append(text)
    return tuple(kept)


def _period(data: EarnCampaignInput, program: Program, now: datetime) -> tuple[datetime, datetime]:
    starts, ends = in_zone(data.starts_at, program), in_zone(data.ends_at, program)
    if ends <= starts:
        raise DomainError(ErrorCode.INVALID_RANGE, ("input", "endsAt"))
    if ends - starts > timedelta(days=MAX_DAYS):
        raise DomainError(ErrorCode.RANGE_TOO_LONG, ("input", "endsAt"), max=MAX_DAYS)
    if ends <= now:
        raise DomainError(ErrorCode.CAMPAIGN_ALREADY_ENDED, ("input", "endsAt"))
    if starts > now + MAX_AHEAD:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "startsAt"), min=0, max=MAX_AHEAD.days)
    return starts, ends


def _check_bonus(bonus: int | None) -> int | None:
    if bonus is not None and not 1 <= bonus <= MAX_BONUS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "bonusPoints"), min=1, max=MAX_BONUS)
    return bonus


async def upsert_earn_campaign(deps: Deps, tenant: Tenant, data: EarnCampaignInput) -> EarnCampaign:
    """Without an id: a new campaign. With one: replaces it (orders already recorded keep the
    points they earned)."""
    program, now = tenant.program, deps.clock.now()
    existing = None
    if data.id is not None:
        existing = await deps.earn_campaigns.get(tenant.slug, data.id)
        if existing is None:
            raise DomainError(ErrorCode.EARN_CAMPAIGN_NOT_FOUND, ("input", "id"))
    name = _name(data.name)
    starts, ends = _period(data, program, now)
    multiplier = _multiplier(data.multiplier)
    bonus = _check_bonus(data.bonus_points)
    if multiplier is None and bonus is None:
        raise DomainError(ErrorCode.CAMPAIGN_WITHOUT_REWARD, ("input", "multiplier"))
    categories = _targets(data.categories, "categories", "category")
    skus = _targets(data.skus, "skus", "sku")
    if data.segment is not None and data.tier_id is not None:
        raise DomainError(ErrorCode.INVALID_AUDIENCE, ("input", "tierId"))
    if data.tier_id is not None and program.tier(data.tier_id) is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "tierId"))
    if existing is None:
        live = await deps.earn_campaigns.ending_after(tenant.slug, now)
        if len(live) >= MAX_LIVE:
            raise DomainError(ErrorCode.OUT_OF_RANGE, ("input",), min=0, max=MAX_LIVE)
    campaign = EarnCampaign(
        id=existing.id if existing else "ec_" + secrets.token_hex(5),
        name=name,
        starts_at=starts,
        ends_at=ends,
        created_at=existing.created_at if existing else now,
        multiplier=multiplier,
        bonus_points=bonus,
        categories=categories,
        skus=skus,
        segment=data.segment,
        tier_id=data.tier_id,
    )
    await deps.earn_campaigns.save(tenant.slug, campaign)
    return campaign


async def earn_campaigns(
    deps: Deps, tenant: Tenant, active_at: datetime | None
) -> list[EarnCampaign]:
    """Running at `active_at`; without it, running now or still to come. Soonest first."""
    now = deps.clock.now()
    if active_at is None:
        found = [c for c in await deps.earn_campaigns.recent(tenant.slug) if c.ends_at > now]
    else:
        moment = in_zone(active_at, tenant.program)
        if moment >= now - RECENT_CAMPAIGNS:
            candidates = await deps.earn_campaigns.recent(tenant.slug)
        else:
            candidates = await deps.earn_campaigns.ending_after(tenant.slug, moment)
        found = [c for c in candidates if c.active_at(moment)]
    return sorted(found, key=lambda c: (c.starts_at, c.id))


def earn_campaign_presets(year: int) -> list[Preset]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("year",), min=FIRST_YEAR, max=LAST_YEAR)
    return presets(year)
