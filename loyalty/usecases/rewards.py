"""The reward catalogue, and coupon use at checkout (redemption: redemptions.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from decimal import Decimal

from loyalty.errors import DomainError, ErrorCode
from loyalty.money import parse_decimal
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.rewards import Redemption, RedemptionStatus, Reward, RewardKind
from loyalty.tenants import Tenant
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


async def consume_coupon(deps: Deps, tenant: Tenant, *, code: str, order_id: str) -> Redemption:
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
    used = await deps.redemptions.mark_used(tenant.slug, redemption.coupon_code, order_id, now)
    if used is None:
        latest = await find_coupon(deps, tenant, code)
        if latest.used_order_id == order_id:
            return latest
        problem = coupon_problem(latest, now) or ErrorCode.COUPON_ALREADY_USED
        raise DomainError(problem, ("input", "code"))
    await announce_consumed(deps, tenant.slug, used)
    return replace(used)
