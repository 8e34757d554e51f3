"""Changing a program's settings and earning rules."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loyalty.errors import DomainError, ErrorCode
from loyalty.gifting_policy import GiftingPolicy, check_gifting_policy
from loyalty.money import parse_decimal
from loyalty.ports import Deps
from loyalty.program import (
    ActivityType,
    EarningRule,
    EarningRuleKind,
    LimitPeriod,
    LocalizedText,
    PointsName,
    Program,
)
from loyalty.tenants import Tenant
from loyalty.usecases.engagement_program import EngagementChanges, apply_engagement
from loyalty.usecases.tenants import check_locale

MAX_RULES = 100
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@dataclass(frozen=True)
class EarningRuleInput:
    id: str | None
    kind: EarningRuleKind
    name: LocalizedText
    category: str | None
    sku: str | None
    multiplier: str | None
    bonus_points: int | None
    activity: ActivityType | None
    custom_activity: str | None
    points: int | None
    limit: int | None
    period: LimitPeriod | None
    active: bool


UNSET: object = object()


@dataclass(frozen=True)
class ProgramChanges:
    """Only the fields that are not UNSET change; `expiry_months=None` means never expire."""

    name: LocalizedText | object = UNSET
    points_name: PointsName | object = UNSET
    earn_rate: str | object = UNSET
    point_value: str | object = UNSET
    expiry_months: int | object | None = UNSET
    pending_days: int | object = UNSET
    coupon_valid_days: int | object = UNSET
    member_token_max_days: int | object = UNSET
    timezone: str | object = UNSET
    default_locale: str | object = UNSET
    earning_rules: list[EarningRuleInput] | object = UNSET
    reminder_days: list[int] | object = UNSET
    inactivity_days: int | object = UNSET
    daily_marketing_cap: int | object = UNSET
    return_expired_coupons: bool | object = UNSET
    engagement: EngagementChanges = field(default_factory=EngagementChanges)
    gifting: GiftingPolicy | object = UNSET


def _in_range(value: int, low: int, high: int, field: tuple[str, ...]) -> int:
    if not low <= value <= high:
        raise DomainError(ErrorCode.OUT_OF_RANGE, field, min=low, max=high)
    return value


def _positive_decimal(raw: str, high: Decimal, field: tuple[str, ...]) -> Decimal:
    value = parse_decimal(raw, field)
    if value <= 0 or value > high:
        raise DomainError(ErrorCode.INVALID_AMOUNT, field)
    return value


def _rule(data: EarningRuleInput, index: int) -> EarningRule:
    field = ("input", "earningRules", str(index))
    multiplier = (
        _positive_decimal(data.multiplier, Decimal(100), (*field, "multiplier"))
        if data.multiplier is not None
        else Decimal(1)
    )
    bonus = _in_range(data.bonus_points or 0, 0, 1_000_000, (*field, "bonusPoints"))
    points = _in_range(data.points or 0, 0, 1_000_000, (*field, "points"))
    limit = None if data.limit is None else _in_range(data.limit, 1, 10_000, (*field, "limit"))
    if data.kind is EarningRuleKind.CATEGORY and not data.category:
        raise DomainError(ErrorCode.INVALID_INPUT, (*field, "category"), detail="category")
    if data.kind is EarningRuleKind.SKU and not data.sku:
        raise DomainError(ErrorCode.INVALID_INPUT, (*field, "sku"), detail="sku")
    if data.kind is EarningRuleKind.ACTIVITY and data.activity is None:
        raise DomainError(ErrorCode.INVALID_INPUT, (*field, "activity"), detail="activity")
    return EarningRule(
        id=data.id or "er_" + secrets.token_hex(6),
        kind=data.kind,
        name=data.name,
        category=data.category,
        sku=data.sku,
        multiplier=multiplier,
        bonus_points=bonus,
        activity=data.activity,
        custom_activity=data.custom_activity,
        points=points,
        limit=limit,
        period=data.period or LimitPeriod.LIFETIME,
        active=data.active,
    )


def _points_name(name: PointsName) -> PointsName:
    for locale, forms in (("ar", name.ar), ("en", name.en)):
        for category, word in forms.items():
            field = ("input", "pointsName", locale, category)
            if category not in PLURAL_CATEGORIES:
                raise DomainError(ErrorCode.INVALID_INPUT, field, detail=category)
            if not word.strip() or len(word) > 40:
                raise DomainError(ErrorCode.TOO_LONG, field, max=40)
    return name


def apply_changes(program: Program, changes: ProgramChanges) -> Program:
    updated = program
    if isinstance(changes.name, LocalizedText):
        if not (changes.name.ar or changes.name.en):
            raise DomainError(ErrorCode.INVALID_INPUT, ("input", "name"), detail="name")
        updated = replace(updated, name=changes.name)
    if isinstance(changes.points_name, PointsName):
        updated = replace(updated, points_name=_points_name(changes.points_name))
    if isinstance(changes.earn_rate, str):
        rate = _positive_decimal(changes.earn_rate, Decimal(10_000), ("input", "earnRate"))
        updated = replace(updated, earn_rate=rate)
    if isinstance(changes.point_value, str):
        value = _positive_decimal(changes.point_value, Decimal(10_000), ("input", "pointValue"))
        updated = replace(updated, point_value=value)
    if changes.expiry_months is None or isinstance(changes.expiry_months, int):
        months = changes.expiry_months
        if months is not None:
            _in_range(months, 1, 120, ("input", "expiryMonths"))
        updated = replace(updated, expiry_months=months)
    if isinstance(changes.pending_days, int):
        days = _in_range(changes.pending_days, 0, 365, ("input", "pendingDays"))
        updated = replace(updated, pending_days=days)
    if isinstance(changes.coupon_valid_days, int):
        days = _in_range(changes.coupon_valid_days, 1, 3650, ("input", "couponValidDays"))
        updated = replace(updated, coupon_valid_days=days)
    if isinstance(changes.member_token_max_days, int):
        days = _in_range(changes.member_token_max_days, 1, 365, ("input", "memberTokenMaxDays"))
        updated = replace(updated, member_token_max_days=days)
    if isinstance(changes.timezone, str):
        try:
            ZoneInfo(changes.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise DomainError(
                ErrorCode.INVALID_INPUT, ("input", "timezone"), detail="timezone"
            ) from exc
        updated = replace(updated, timezone=changes.timezone)
    if isinstance(changes.default_locale, str):
        check_locale(changes.default_locale, ("input", "defaultLocale"))
        updated = replace(updated, default_locale=changes.default_locale)
    if isinstance(changes.earning_rules, list):
        if len(changes.earning_rules) > MAX_RULES:
            raise DomainError(
                ErrorCode.OUT_OF_RANGE, ("input", "earningRules"), min=0, max=MAX_RULES
            )
        rules = tuple(_rule(rule, i) for i, rule in enumerate(changes.earning_rules))
        updated = replace(updated, earning_rules=rules)
    if isinstance(changes.gifting, GiftingPolicy):
        updated = replace(updated, gifting=check_gifting_policy(changes.gifting))
    return apply_engagement(_push_settings(updated, changes), changes.engagement)


MAX_REMINDERS = 5


def _push_settings(program: Program, changes: ProgramChanges) -> Program:
    """Expiry reminders (days before; an empty list turns them off), the win-back inactivity
    period and the daily cap on marketing pushes per member."""
    updated = program
    if isinstance(changes.reminder_days, list):
        field = ("input", "reminderDays")
        if len(changes.reminder_days) > MAX_REMINDERS:
            raise DomainError(ErrorCode.OUT_OF_RANGE, field, min=0, max=MAX_REMINDERS)
        for index, days in enumerate(changes.reminder_days):
            _in_range(days, 1, 365, (*field, str(index)))
            if days in changes.reminder_days[:index]:
                raise DomainError(ErrorCode.DUPLICATE_VALUE, (*field, str(index)), value=days)
        updated = replace(updated, reminder_days=tuple(sorted(changes.reminder_days, reverse=True)))
    if isinstance(changes.inactivity_days, int):
        days = _in_range(changes.inactivity_days, 7, 730, ("input", "inactivityDays"))
        updated = replace(updated, inactivity_days=days)
    if isinstance(changes.daily_marketing_cap, int):
        cap = _in_range(changes.daily_marketing_cap, 0, 20, ("input", "dailyMarketingCap"))
        updated = replace(updated, daily_marketing_cap=cap)
    if isinstance(changes.return_expired_coupons, bool):
        updated = replace(updated, return_expired_coupons=changes.return_expired_coupons)
    _check_release_before_expiry(updated, changes)
    return updated


# The shortest span `expiry_months` can give: a day-31 order whose expiry month is February is
# 28 days, less an hour when clocks go forward in between. So pending points always release
# (at least a day) before they can expire when the window is under 28 days per month.
DAYS_PER_EXPIRY_MONTH = 28


def _check_release_before_expiry(program: Program, changes: ProgramChanges) -> None:
    months = program.expiry_months
    if months is None or program.pending_days < DAYS_PER_EXPIRY_MONTH * months:
        return
    if isinstance(changes.pending_days, int):
        top = DAYS_PER_EXPIRY_MONTH * months - 1
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "pendingDays"), min=0, max=top)
    fewest = program.pending_days // DAYS_PER_EXPIRY_MONTH + 1
    raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "expiryMonths"), min=fewest, max=120)


async def update_program(deps: Deps, tenant: Tenant, changes: ProgramChanges) -> Program:
    program = apply_changes(tenant.program, changes)
    await deps.tenants.save_program(tenant.slug, program)
    return program
