"""upsertBadge: the merchant defines achievements; each rule says what its goal counts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from loyalty.badges import SINGLE_STEP, Badge, BadgeRule
from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.tenants import Tenant
from loyalty.urls import is_https_url, looks_like_link

MAX_BADGES = 100
MAX_NAME = 100
MAX_DESCRIPTION = 300
MAX_ICON = 300
MAX_GOAL = 1_000_000
MAX_STREAK_MONTHS = 120
MAX_BONUS = 1_000_000


@dataclass(frozen=True)
class BadgeInput:
    id: str | None
    name: LocalizedText
    description: LocalizedText
    icon: str | None
    rule: BadgeRule
    goal: int
    category: str | None
    tier_id: str | None
    bonus_points: int
    active: bool


def _text(text: LocalizedText, limit: int, name: str) -> None:
    for locale, value in (("ar", text.ar), ("en", text.en)):
        if value is not None and len(value) > limit:
            raise DomainError(ErrorCode.TOO_LONG, ("input", name, locale), max=limit)


def _goal_range(rule: BadgeRule) -> tuple[int, int]:
    if rule in SINGLE_STEP:
        return 1, 1
    if rule is BadgeRule.MONTHLY_STREAK:
        return 2, MAX_STREAK_MONTHS
    return 1, MAX_GOAL


def _check(tenant: Tenant, data: BadgeInput) -> None:
    if not (data.name.ar or data.name.en):
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "name"), detail="name")
    _text(data.name, MAX_NAME, "name")
    _text(data.description, MAX_DESCRIPTION, "description")
    if data.icon is not None and (not data.icon.strip() or len(data.icon) > MAX_ICON):
        raise DomainError(ErrorCode.TOO_LONG, ("input", "icon"), max=MAX_ICON)
    if data.icon is not None and looks_like_link(data.icon) and not is_https_url(data.icon):
        raise DomainError(ErrorCode.INSECURE_URL, ("input", "icon"))
    low, high = _goal_range(data.rule)
    if not low <= data.goal <= high:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "goal"), min=low, max=high)
    if data.rule is BadgeRule.CATEGORY_SPEND and not (data.category or "").strip():
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "category"), detail="category")
    if data.rule is BadgeRule.TIER_REACHED and tenant.program.tier(data.tier_id or "") is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "tierId"))
    if not 0 <= data.bonus_points <= MAX_BONUS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "bonusPoints"), min=0, max=MAX_BONUS)


async def upsert_badge(deps: Deps, tenant: Tenant, data: BadgeInput) -> Badge:
    """Without an id: a new badge. With one: replaces it (members keep what they earned)."""
    existing = None
    if data.id is not None:
        existing = await deps.badges.get(tenant.slug, data.id)
        if existing is None:
            raise DomainError(ErrorCode.BADGE_NOT_FOUND, ("input", "id"))
    _check(tenant, data)
    if existing is None and len(await deps.badges.list(tenant.slug)) >= MAX_BADGES:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input",), min=0, max=MAX_BADGES)
    badge = Badge(
        id=existing.id if existing else "b_" + secrets.token_hex(4),
        name=data.name,
        rule=data.rule,
        goal=data.goal,
        created_at=existing.created_at if existing else deps.clock.now(),
        description=data.description,
        icon=data.icon,
        category=data.category.strip() if data.category else None,
        tier_id=data.tier_id if data.rule is BadgeRule.TIER_REACHED else None,
        bonus_points=data.bonus_points,
        active=data.active,
    )
    await deps.badges.save(tenant.slug, badge)
    return badge


async def list_badges(deps: Deps, tenant: Tenant) -> list[Badge]:
    """Every badge the merchant defined, inactive ones too, oldest first (the console's list)."""
    return await deps.badges.list(tenant.slug)
