"""upsertTier: the merchant defines tiers; ranks and thresholds must climb together."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import pairwise

from loyalty.errors import DomainError, ErrorCode
from loyalty.money import parse_decimal
from loyalty.ports import Deps
from loyalty.program import LocalizedText, Tier
from loyalty.tenants import Tenant

MAX_TIERS = 20
MAX_PERKS = 20
MAX_TEXT = 200


@dataclass(frozen=True)
class TierInput:
    id: str | None
    name: LocalizedText
    rank: int
    threshold: str
    earn_multiplier: str
    perks: tuple[LocalizedText, ...]
    keep_threshold: str | None = None


def _check_text(text: LocalizedText, field: tuple[str, ...]) -> None:
    for locale, value in (("ar", text.ar), ("en", text.en)):
        if value is not None and len(value) > MAX_TEXT:
            raise DomainError(ErrorCode.TOO_LONG, (*field, locale), max=MAX_TEXT)


def build_tier(data: TierInput, existing: tuple[Tier, ...]) -> Tier:
    if not (data.name.ar or data.name.en):
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "name"), detail="name")
    _check_text(data.name, ("input", "name"))
    if len(data.perks) > MAX_PERKS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "perks"), min=0, max=MAX_PERKS)
    for index, perk in enumerate(data.perks):
        _check_text(perk, ("input", "perks", str(index)))
    if not 1 <= data.rank <= 100:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "rank"), min=1, max=100)
    threshold = parse_decimal(data.threshold, ("input", "threshold"))
    if threshold <= 0 or threshold > Decimal(10) ** 12:
        raise DomainError(ErrorCode.INVALID_AMOUNT, ("input", "threshold"))
    multiplier = parse_decimal(data.earn_multiplier, ("input", "earnMultiplier"))
    if not Decimal(1) <= multiplier <= Decimal(10):
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "earnMultiplier"), min=1, max=10)
    keep = None
    if data.keep_threshold is not None:
        keep = parse_decimal(data.keep_threshold, ("input", "keepThreshold"))
        if keep <= 0:
            raise DomainError(ErrorCode.INVALID_AMOUNT, ("input", "keepThreshold"))
        if keep > threshold:
            raise DomainError(ErrorCode.TIER_KEEP_ABOVE_ENTRY, ("input", "keepThreshold"))
    if data.id is None and len(existing) >= MAX_TIERS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input",), min=0, max=MAX_TIERS)
    return Tier(
        id=data.id or "t_" + secrets.token_hex(4),
        name=data.name,
        rank=data.rank,
        threshold=threshold,
        earn_multiplier=multiplier,
        perks=data.perks,
        keep_threshold=keep,
    )


def _check_ladder(tiers: tuple[Tier, ...]) -> None:
    """A higher rank needs a strictly higher threshold, or qualifying would be ambiguous."""
    ladder = sorted(tiers, key=lambda t: t.rank)
    for lower, upper in pairwise(ladder):
        if lower.rank == upper.rank:
            raise DomainError(ErrorCode.TIER_RANK_TAKEN, ("input", "rank"), rank=upper.rank)
        if upper.threshold <= lower.threshold:
            raise DomainError(ErrorCode.TIER_THRESHOLD_OVERLAP, ("input", "threshold"))


async def upsert_tier(deps: Deps, tenant: Tenant, data: TierInput) -> Tier:
    """Without an id: a new tier. With one: replaces that tier (TIER_NOT_FOUND if unknown)."""
    program = tenant.program
    if data.id is not None and program.tier(data.id) is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "id"))
    tier = build_tier(data, program.tiers)
    others = tuple(t for t in program.tiers if t.id != tier.id)
    tiers = (*others, tier)
    _check_ladder(tiers)
    await deps.tenants.save_program(tenant.slug, replace(program, tiers=tiers))
    return tier
