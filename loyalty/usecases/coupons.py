"""The coupon lifecycle after issue: cancelled by its owner or the merchant, or expired unused;
either way its points go back (loyalty/coupon_returns.py).

Closing a coupon is one conditional change (ISSUED -> CANCELLED or EXPIRED), so a coupon used
at checkout meanwhile stays used and only one closer returns the points. The return is one
wallet operation per coupon (`coupon-return:{id}`), so a retry, a concurrent duplicate or the
coupon job finishing a crashed request gives the points back exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty.coupon_returns import give_back, parts_taken, return_lots
from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason
from loyalty.members import Member
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps
from loyalty.rewards import Redemption, RedemptionStatus, TakenPart, return_op_id
from loyalty.tenants import Tenant
from loyalty.usecases.batches import work_through
from loyalty.usecases.idempotency import check_key, run_once
from loyalty.usecases.moves import move
from loyalty.usecases.outbound_events import announce_cancelled
from loyalty.usecases.rewards import find_coupon

BATCH = 100
MAX_ROUNDS = 4
REASONS = {
    RedemptionStatus.CANCELLED: "reason.coupon_cancelled",
    RedemptionStatus.EXPIRED: "reason.coupon_expired",
}


@dataclass(frozen=True)
class Cancelled:
    redemption: Redemption
    member: Member


async def _parts(deps: Deps, tenant: Tenant, redemption: Redemption) -> tuple[TakenPart, ...]:
    spent = await deps.members.operation_entries(
        tenant.slug, redemption.member_id, redemption.op_id
    )
    noted = parts_taken(spent)
    if sum(part.points for part in noted) == redemption.points_spent:
        return noted
    # Redeemed before the lots were noted: the points go back as if earned at redemption.
    expiry = tenant.program.expires_at(redemption.reserved_at)
    return (TakenPart(redemption.points_spent, expiry),)


async def give_points_back(deps: Deps, tenant: Tenant, redemption: Redemption) -> None:
    """For a CANCELLED or EXPIRED coupon; idempotent (one wallet operation id per coupon)."""
    op_id = return_op_id(redemption)
    parts = await _parts(deps, tenant, redemption)
    names = redemption.reward_name
    reason = Reason(
        REASONS[redemption.status], {"reward_ar": names.ar or "", "reward_en": names.en or ""}
    )
    await move(
        deps,
        tenant.slug,
        redemption.member_id,
        op_id,
        lambda state: give_back(
            state,
            deps.clock.now(),
            op_id=op_id,
            parts=return_lots(parts, deps.clock.now()),
            reason=reason,
        ),
    )
    await deps.redemptions.returned(tenant.slug, redemption.id, deps.clock.now())
    await announce_cancelled(deps, tenant.slug, redemption)


async def cancel_coupon(
    deps: Deps, tenant: Tenant, *, code: str, idempotency_key: str, member: Member | None
) -> Cancelled:
    """`member`: the caller when a member (only their own coupons); None for the merchant."""
    check_key(idempotency_key)
    found = await find_coupon(deps, tenant, code)
    if member is not None and found.member_id != member.id:
        raise DomainError(ErrorCode.COUPON_NOT_FOUND, ("code",))  # never say whose it is

    async def perform() -> dict[str, object]:
        return {"redemption_id": (await _cancel(deps, tenant, found)).id}

    caller = "merchant" if member is None else member.id
    await run_once(
        deps,
        tenant,
        f"cancel-coupon:{caller}",
        idempotency_key,
        request_fingerprint(found.id),
        perform,
    )
    latest = await deps.redemptions.get(tenant.slug, found.id)
    owner = await deps.members.get(tenant.slug, found.member_id)
    assert latest is not None and owner is not None
    return Cancelled(latest, owner)


async def _cancel(deps: Deps, tenant: Tenant, redemption: Redemption) -> Redemption:
    for _ in range(MAX_ROUNDS):
        if redemption.status is RedemptionStatus.CANCELLED:
            if redemption.return_at is not None:  # an earlier call died before finishing
                await give_points_back(deps, tenant, redemption)
            return redemption
        if redemption.status is RedemptionStatus.USED:
            raise DomainError(ErrorCode.COUPON_ALREADY_USED, ("code",))
        now = deps.clock.now()
        expired = redemption.expires_at is not None and redemption.expires_at <= now
        if redemption.status is RedemptionStatus.EXPIRED or expired:
            raise DomainError(ErrorCode.COUPON_EXPIRED, ("code",))
        closed = await deps.redemptions.close(
            tenant.slug, redemption.id, RedemptionStatus.CANCELLED, now
        )
        if closed is not None:
            await give_points_back(deps, tenant, closed)
            return closed
        latest = await deps.redemptions.get(tenant.slug, redemption.id)
        assert latest is not None
        redemption = latest  # used or cancelled meanwhile: decide again
    raise DomainError(ErrorCode.IN_PROGRESS)


async def settle_coupons(deps: Deps, tenant: Tenant) -> int:
    """The coupon job: finishes returns a crash left, then (when the program says so) closes
    coupons expired unused and gives their points back. Returns how many coupons it settled."""
    now = deps.clock.now()

    async def finish(redemption: Redemption) -> int:
        await give_points_back(deps, tenant, redemption)
        return 1

    done = await work_through(
        lambda size: deps.redemptions.returns_due(tenant.slug, now, size),
        finish,
        BATCH,
        identity=lambda redemption: redemption.id,
    )
    if not tenant.program.return_expired_coupons:
        return done

    async def expire(redemption: Redemption) -> int:
        closed = await deps.redemptions.close(
            tenant.slug, redemption.id, RedemptionStatus.EXPIRED, now
        )
        if closed is None:
            return 0  # used or cancelled meanwhile
        await give_points_back(deps, tenant, closed)
        return 1

    return done + await work_through(
        lambda size: deps.redemptions.expired_unused(tenant.slug, now, size),
        expire,
        BATCH,
        identity=lambda redemption: redemption.id,
    )
