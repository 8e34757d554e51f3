"""The reward catalogue, and coupon use at checkout (redemption: redemptions.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n.money import Money
from loyalty.money import parse_amount, parse_decimal
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.reward_limits import MAX_PER_PERIOD, MAX_STOCK, RewardLimits
from loyalty.rewards import Redemption, RedemptionStatus, Reward, RewardKind
from loyalty.tenants import Tenant
from loyalty.usecases.earn_campaigns import in_zone
from loyalty.usecases.outbound_events import announce_consumed
from loyalty.wallet import MAX_POINTS_PER_OPERATION

MAX_TEXT = 500


@dataclass(frozen=True)
class RewardInput:
    id: str | None
    name: LocalizedText
    description: LocalizedText
    cost: int
    kind: RewardKind
    value: str | None
    min_tier_id: str | None
    active: bool
    coupon_valid_days: int | None
    limits: LimitsInput = field(default_factory=lambda: LimitsInput())


@dataclass(frozen=True)
class LimitsInput:
    """Reward limits as entered: times without an offset are the tenant's wall-clock times."""

    per_day: int | None = None
    per_month: int | None = None
    per_member: int | None = None
    stock: int | None = None
    min_order_total: str | None = None
    available_from: datetime | None = None
    available_until: datetime | None = None


def _count(value: int | None, name: str, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", name), min=low, max=high)
    return value


def check_limits(data: LimitsInput, tenant: Tenant) -> RewardLimits:
    program = tenant.program
    starts = None if data.available_from is None else in_zone(data.available_from, program)
    ends = None if data.available_until is None else in_zone(data.available_until, program)
    if starts is not None and ends is not None and ends <= starts:
        raise DomainError(ErrorCode.INVALID_RANGE, ("input", "availableUntil"))
    minimum = None
    if data.min_order_total is not None:
        minimum = parse_amount(data.min_order_total, program.currency, ("input", "minOrderTotal"))
    return RewardLimits(
        per_day=_count(data.per_day, "perDay", 1, MAX_PER_PERIOD),
        per_month=_count(data.per_month, "perMonth", 1, MAX_PER_PERIOD),
        per_member=_count(data.per_member, "perMember", 1, MAX_PER_PERIOD),
        stock=_count(data.stock, "stock", 0, MAX_STOCK),
        min_order_total=minimum,
        available_from=starts,
        available_until=ends,
    )


def _check_text(text: LocalizedText, field: tuple[str, ...], *, required: bool) -> None:
    if required and not (text.ar or text.en):
        raise DomainError(ErrorCode.INVALID_INPUT, field, detail="name")
    for locale, value in (("ar", text.ar), ("en", text.en)):
        if value is not None and len(value) > MAX_TEXT:
            raise DomainError(ErrorCode.TOO_LONG, (*field, locale), max=MAX_TEXT)


def _check_value(kind: RewardKind, raw: str | None) -> Decimal | None:
    field = ("input", "value")
    if kind in (RewardKind.PERCENT_DISCOUNT, RewardKind.AMOUNT_DISCOUNT):
        if raw is None:
            raise DomainError(ErrorCode.INVALID_AMOUNT, field)
        value = parse_decimal(raw, field)
        upper = Decimal(100) if kind is RewardKind.PERCENT_DISCOUNT else Decimal(10) ** 9
        if value <= 0 or value > upper:
            raise DomainError(ErrorCode.INVALID_AMOUNT, field)
        return value
    return None if raw is None else parse_decimal(raw, field)


async def upsert_reward(deps: Deps, tenant: Tenant, data: RewardInput) -> Reward:
    _check_text(data.name, ("input", "name"), required=True)
    _check_text(data.description, ("input", "description"), required=False)
    if not 1 <= data.cost <= MAX_POINTS_PER_OPERATION:
        raise DomainError(
            ErrorCode.OUT_OF_RANGE, ("input", "cost"), min=1, max=MAX_POINTS_PER_OPERATION
        )
    if data.coupon_valid_days is not None and not 1 <= data.coupon_valid_days <= 3650:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "couponValidDays"), min=1, max=3650)
    if data.min_tier_id is not None and tenant.program.tier(data.min_tier_id) is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "minTierId"))
    value = _check_value(data.kind, data.value)
    limits = check_limits(data.limits, tenant)
    created_at = deps.clock.now()
    if data.id is not None:
        existing = await deps.rewards.get(tenant.slug, data.id)
        if existing is None:
            raise DomainError(ErrorCode.REWARD_NOT_FOUND, ("input", "id"))
        created_at = existing.created_at
    reward = Reward(
        id=data.id or "rw_" + secrets.token_hex(8),
        name=data.name,
        description=data.description,
        cost=data.cost,
        kind=data.kind,
        value=value,
        min_tier_id=data.min_tier_id,
        active=data.active,
        coupon_valid_days=data.coupon_valid_days,
        created_at=created_at,
        limits=limits,
    )
    await deps.rewards.save(tenant.slug, reward)
    return reward


def normalize_code(code: str) -> str:
    return code.strip().upper()


async def find_coupon(deps: Deps, tenant: Tenant, code: str) -> Redemption:
    redemption = await deps.redemptions.by_code(tenant.slug, normalize_code(code)[:64])
    if redemption is None or redemption.status in (
        RedemptionStatus.RESERVED,
        RedemptionStatus.FAILED,
    ):
        raise DomainError(ErrorCode.COUPON_NOT_FOUND, ("code",))
    return redemption


def coupon_problem(redemption: Redemption, now: object) -> ErrorCode | None:
    if redemption.status is RedemptionStatus.USED:
        return ErrorCode.COUPON_ALREADY_USED
    if redemption.status is RedemptionStatus.CANCELLED:
        return ErrorCode.COUPON_CANCELLED
    if redemption.status is RedemptionStatus.EXPIRED:
        return ErrorCode.COUPON_EXPIRED
    if redemption.expires_at is not None and redemption.expires_at <= now:  # type: ignore[operator]
        return ErrorCode.COUPON_EXPIRED
    return None


def _check_order_total(tenant: Tenant, redemption: Redemption, order_total: str | None) -> None:
    """A coupon with a minimum needs the order's total, at least that minimum."""
    minimum = redemption.min_order_total
    if minimum is None:
        return
    field = ("input", "orderTotal")
    currency = tenant.program.currency
    total = None if order_total is None else parse_amount(order_total, currency, field)
    if total is None or total < minimum:
        raise DomainError(
            ErrorCode.COUPON_ORDER_BELOW_MINIMUM, field, minimum=Money(minimum, currency)
        )


async def consume_coupon(
    deps: Deps, tenant: Tenant, *, code: str, order_id: str, order_total: str | None = None
) -> Redemption:
    """Marks a coupon used at checkout, exactly once (conditional update on its status).
    Repeating the call for the same order returns the same answer."""
    redemption = await find_coupon(deps, tenant, code)
    now = deps.clock.now()
    if redemption.status is RedemptionStatus.USED and redemption.used_order_id == order_id:
        await announce_consumed(deps, tenant.slug, redemption)  # a retry: fills in a crash
        return redemption
    problem = coupon_problem(redemption, now)
    if problem is not None:
        raise DomainError(problem, ("input", "code"))
    _check_order_total(tenant, redemption, order_total)
    used = await deps.redemptions.mark_used(tenant.slug, redemption.coupon_code, order_id, now)
    if used is None:
        latest = await find_coupon(deps, tenant, code)
        if latest.used_order_id == order_id:
            return latest
        problem = coupon_problem(latest, now) or ErrorCode.COUPON_ALREADY_USED
        raise DomainError(problem, ("input", "code"))
    await announce_consumed(deps, tenant.slug, used)
    return replace(used)
