"""The reward catalogue, redemption for coupons, and coupon use at checkout."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.members import Member
from loyalty.money import parse_decimal
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.rewards import Redemption, RedemptionStatus, Reward, RewardKind, coupon_code
from loyalty.tenants import Tenant
from loyalty.tiers import effective_tier, tier_of
from loyalty.usecases.idempotency import run_once
from loyalty.usecases.moves import take
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


def _check_tier(tenant: Tenant, member: Member, reward: Reward, now: datetime) -> None:
    if reward.min_tier_id is None:
        return
    program = tenant.program
    required = tier_of(program, reward.min_tier_id)
    held = effective_tier(program, member.tier, now)
    if held.rank < required.rank:
        name = required.name.pick(member.locale, required.id) or required.id
        raise DomainError(ErrorCode.TIER_REQUIRED, ("input", "rewardId"), tier=name)


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    reward: Reward
    member: Member


async def redeem_reward(
    deps: Deps, tenant: Tenant, member: Member, *, reward_id: str, idempotency_key: str
) -> Redeemed:
    """Reserve a coupon, take the points with a conditional write, then issue the coupon.
    The reservation comes first so that taken points always have their coupon: a crash in
    between leaves a RESERVED coupon that a retry (same key) issues."""
    reward = await deps.rewards.get(tenant.slug, reward_id)
    if reward is None:
        raise DomainError(ErrorCode.REWARD_NOT_FOUND, ("input", "rewardId"))
    if not reward.active:
        raise DomainError(ErrorCode.REWARD_INACTIVE, ("input", "rewardId"))
    # The token's member may be stale: the tier is read fresh.
    current = await deps.members.get(tenant.slug, member.id)
    _check_tier(tenant, current or member, reward, deps.clock.now())
    op_id = f"redeem:{member.id}:{idempotency_key}"
    fingerprint = request_fingerprint(member.id, reward.id)

    async def perform() -> dict[str, object]:
        now = deps.clock.now()
        valid_days = reward.coupon_valid_days or tenant.program.coupon_valid_days
        candidate = Redemption(
            id="rd_" + secrets.token_hex(8),
            tenant=tenant.slug,
            member_id=member.id,
            reward_id=reward.id,
            reward_name=reward.name,
            coupon_code=coupon_code(tenant.slug),
            points_spent=reward.cost,
            status=RedemptionStatus.RESERVED,
            created_at=now,
            expires_at=now + timedelta(days=valid_days),
        )
        reserved = await deps.redemptions.reserve(candidate, op_id)
        if reserved.status is RedemptionStatus.FAILED:
            # An earlier try with this key found too few points; this one tries again.
            await deps.redemptions.set_status(tenant.slug, reserved.id, RedemptionStatus.RESERVED)
            reserved = replace(reserved, status=RedemptionStatus.RESERVED)
        if reserved.status is RedemptionStatus.RESERVED:
            try:
                await take(
                    deps,
                    tenant,
                    member.id,
                    op_id=op_id,
                    points=reward.cost,
                    type_=TransactionType.REDEEM,
                    reason=Reason(
                        "reason.redeem",
                        {"reward_ar": reward.name.ar or "", "reward_en": reward.name.en or ""},
                    ),
                )
            except DomainError:
                await deps.redemptions.set_status(tenant.slug, reserved.id, RedemptionStatus.FAILED)
                raise
            await deps.redemptions.set_status(tenant.slug, reserved.id, RedemptionStatus.ISSUED)
        return {"redemption_id": reserved.id}

    # Scope per member: two members may use the same key without colliding.
    result = await run_once(
        deps, tenant, f"redeem:{member.id}", idempotency_key, fingerprint, perform
    )
    redemption = await deps.redemptions.get(tenant.slug, str(result["redemption_id"]))
    fresh = await deps.members.get(tenant.slug, member.id)
    assert redemption is not None and fresh is not None
    return Redeemed(redemption, reward, fresh)


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
    if redemption.expires_at is not None and redemption.expires_at <= now:  # type: ignore[operator]
        return ErrorCode.COUPON_EXPIRED
    return None


async def consume_coupon(deps: Deps, tenant: Tenant, *, code: str, order_id: str) -> Redemption:
    """Marks a coupon used at checkout, exactly once (conditional update on its status).
    Repeating the call for the same order returns the same answer."""
    redemption = await find_coupon(deps, tenant, code)
    now = deps.clock.now()
    if redemption.status is RedemptionStatus.USED and redemption.used_order_id == order_id:
        return redemption
    problem = coupon_problem(redemption, now)
    if problem is not None:
        raise DomainError(problem, ("input", "code"))
    used = await deps.redemptions.mark_used(tenant.slug, redemption.coupon_code, order_id, now)
    if used is None:
        latest = await find_coupon(deps, tenant, code)
        if latest.used_order_id == order_id:
            return latest
        raise DomainError(ErrorCode.COUPON_ALREADY_USED, ("input", "code"))
    return replace(used)
