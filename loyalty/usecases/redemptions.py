"""Redeeming points for a coupon: exactly once per idempotency key, for one reward only.

The redemption is reserved before points are taken, so that taken points always have their
coupon: a crash in between leaves a RESERVED redemption that a retry with the same key (or the
sweeper, in loyalty/usecases/redemption_sweep.py) finishes. Every attempt under a key charges
the same wallet operation id, so the points are taken at most once, and always exactly the
reserved `points_spent`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.coupon_returns import note_taken, taken_parts
from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletChange, WalletState
from loyalty.members import Member
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps
from loyalty.rewards import SWEEP_GRACE, Redemption, RedemptionStatus, Reward, coupon_code
from loyalty.tenants import Tenant
from loyalty.tiers import effective_tier, tier_of
from loyalty.usecases.idempotency import run_once
from loyalty.usecases.moves import move
from loyalty.usecases.outbound_events import announce_redeemed
from loyalty.usecases.reward_limits import check_window, claim_limits, release_limits
from loyalty.wallet import spend

# Rounds of "look, act" before giving up to concurrent writers on the same redemption.
MAX_ROUNDS = 4


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    reward: Reward
    member: Member


class Lapsed(Exception):
    """The attempt's take window closed before its points were taken."""


def _check_tier(tenant: Tenant, member: Member, reward: Reward, now: datetime) -> None:
    if reward.min_tier_id is None:
        return
    program = tenant.program
    required = tier_of(program, reward.min_tier_id)
    held = effective_tier(program, member.tier, now)
    if held.rank < required.rank:
        name = required.name.pick(member.locale, required.id) or required.id
        raise DomainError(ErrorCode.TIER_REQUIRED, ("input", "rewardId"), tier=name)


def _conflict() -> DomainError:
    return DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, ("input", "idempotencyKey"))


def _coupon_expiry(tenant: Tenant, reward: Reward, now: datetime) -> datetime:
    return now + timedelta(days=reward.coupon_valid_days or tenant.program.coupon_valid_days)


async def redeem_reward(
    deps: Deps, tenant: Tenant, member: Member, *, reward_id: str, idempotency_key: str
) -> Redeemed:
    reward = await deps.rewards.get(tenant.slug, reward_id)
    if reward is None:
        raise DomainError(ErrorCode.REWARD_NOT_FOUND, ("input", "rewardId"))
    if not reward.active:
        raise DomainError(ErrorCode.REWARD_INACTIVE, ("input", "rewardId"))
    check_window(reward, deps)
    # The token's member may be stale: the tier is read fresh.
    current = await deps.members.get(tenant.slug, member.id)
    _check_tier(tenant, current or member, reward, deps.clock.now())
    op_id = f"redeem:{member.id}:{idempotency_key}"
    fingerprint = request_fingerprint(member.id, reward.id)

    async def perform() -> dict[str, object]:
        # Before the points are taken; a failure below gives the claims back. The claim id is
        # the key's operation id, so a retry of this key never counts twice.
        claims = await claim_limits(deps, tenant, reward, member.id, op_id)
        try:
            return await _redeem(claims)
        except DomainError:
            await release_limits(deps, tenant.slug, claims, op_id)
            raise

    async def _redeem(claims: tuple[str, ...]) -> dict[str, object]:
        now = deps.clock.now()
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
            expires_at=_coupon_expiry(tenant, reward, now),
            op_id=op_id,
            attempt=1,
            reserved_at=now,
            sweep_at=now + SWEEP_GRACE,
            min_order_total=reward.limits.min_order_total,
            claims=claims,
        )
        reserved = await deps.redemptions.reserve(candidate)
        # The key's first request may have failed and released the key; its redemption stays
        # and must never be turned into another reward.
        if reserved.reward_id != reward.id:
            raise _conflict()
        redemption = await _complete(deps, tenant, reserved, reward)
        return {"redemption_id": redemption.id}

    # Scope per member: two members may use the same key without colliding.
    result = await run_once(
        deps, tenant, f"redeem:{member.id}", idempotency_key, fingerprint, perform
    )
    redemption = await deps.redemptions.get(tenant.slug, str(result["redemption_id"]))
    fresh = await deps.members.get(tenant.slug, member.id)
    assert redemption is not None and fresh is not None
    # On every success, retries included: the event's key is the redemption, so announcing
    # again only fills in what a crash after the issue may have left out.
    await announce_redeemed(deps, tenant.slug, redemption, fresh, reward)
    return Redeemed(redemption, reward, fresh)


CAME_TO_BE_ISSUED = frozenset(
    {
        RedemptionStatus.ISSUED,
        RedemptionStatus.USED,
        RedemptionStatus.CANCELLED,
        RedemptionStatus.EXPIRED,
    }
)


async def _complete(deps: Deps, tenant: Tenant, record: Redemption, reward: Reward) -> Redemption:
    """Takes the reserved points and issues the coupon, or finishes what an earlier attempt
    under the same key began. Raises the wallet's error (nothing taken) when the points lack."""
    for _ in range(MAX_ROUNDS):
        # Issued once, and perhaps closed since (closing starts from ISSUED): a retry of the
        # key answers with it, as it is now, and never takes the points again.
        if record.status in CAME_TO_BE_ISSUED:
            return record
        if record.status is RedemptionStatus.FAILED:
            record = await _rearm(deps, tenant, record, reward)
            continue
        try:
            await _take_points(deps, tenant, record)
        except Lapsed:
            record = await _rearm(deps, tenant, record, reward)
            continue
        except DomainError:
            await deps.redemptions.fail(tenant.slug, record.id, record.attempt, final=False)
            raise
        issued = await deps.redemptions.issue(tenant.slug, record.id)
        if issued is not None:
            return issued
        record = await _reread(deps, tenant, record)  # issued by a concurrent duplicate
    raise DomainError(ErrorCode.IN_PROGRESS)


async def _rearm(deps: Deps, tenant: Tenant, record: Redemption, reward: Reward) -> Redemption:
    """A new attempt at the reserved price. A price changed since makes it another request:
    re-pricing could disagree with points a concurrent attempt under the key already took."""
    if record.points_spent != reward.cost:
        raise _conflict()
    now = deps.clock.now()
    rearmed = await deps.redemptions.rearm(
        tenant.slug,
        record.id,
        record.attempt,
        now=now,
        expires_at=_coupon_expiry(tenant, reward, now),
        sweep_at=now + SWEEP_GRACE,
    )
    return rearmed or await _reread(deps, tenant, record)


async def _reread(deps: Deps, tenant: Tenant, record: Redemption) -> Redemption:
    latest = await deps.redemptions.get(tenant.slug, record.id)
    assert latest is not None
    return latest


async def _take_points(deps: Deps, tenant: Tenant, record: Redemption) -> None:
    """Charges `record.points_spent` under the record's operation id (a replay if an earlier
    attempt already did). The deadline is checked inside the wallet write, as late as possible,
    so that no take lands after the sweeper may have looked. The entry notes the lots the
    points came from, in the same write (for giving them back: loyalty/coupon_returns.py)."""
    deadline = record.take_deadline
    reason = Reason(
        "reason.redeem",
        {"reward_ar": record.reward_name.ar or "", "reward_en": record.reward_name.en or ""},
    )

    def operation(state: WalletState) -> WalletChange:
        now = deps.clock.now()
        if now > deadline:
            raise Lapsed
        change = spend(
            state,
            now,
            op_id=record.op_id,
            points=record.points_spent,
            type_=TransactionType.REDEEM,
            reason=reason,
        )
        return note_taken(change, record.op_id, taken_parts(state, change.state, now))

    await move(deps, tenant.slug, record.member_id, record.op_id, operation)
