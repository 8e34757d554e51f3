"""Manual point adjustments by the merchant: goodwill credits and corrections."""

from __future__ import annotations

from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.members import Member
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps
from loyalty.rule_pending import PendingRule
from loyalty.tenants import Tenant
from loyalty.usecases.idempotency import run_once
from loyalty.usecases.members import require_member
from loyalty.usecases.moves import grant, take
from loyalty.wallet import MAX_POINTS_PER_OPERATION

MAX_REASON = 500


async def adjust_points(
    deps: Deps,
    tenant: Tenant,
    *,
    member_external_id: str,
    points: int,
    reason: str,
    idempotency_key: str,
) -> Member:
    if points == 0 or abs(points) > MAX_POINTS_PER_OPERATION:
        raise DomainError(ErrorCode.INVALID_POINTS, ("input", "points"))
    reason = reason.strip()
    if not reason:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "reason"), detail="reason")
    if len(reason) > MAX_REASON:
        raise DomainError(ErrorCode.TOO_LONG, ("input", "reason"), max=MAX_REASON)
    member = await require_member(deps, tenant, member_external_id, ("input", "memberExternalId"))
    fingerprint = request_fingerprint(member.id, points, reason)
    op_id = f"adjust:{idempotency_key}"
    why = Reason("reason.adjust", text=reason)

    async def perform() -> dict[str, object]:
        if points > 0:
            await grant(
                deps,
                tenant,
                member.id,
                op_id=op_id,
                points=points,
                type_=TransactionType.ADJUST,
                reason=why,
                at=deps.clock.now(),
                pending=PendingRule.ADJUSTMENTS,
            )
        else:
            await take(
                deps,
                tenant,
                member.id,
                op_id=op_id,
                points=-points,
                type_=TransactionType.ADJUST,
                reason=why,
            )
        return {"member_id": member.id}

    await run_once(deps, tenant, "adjust", idempotency_key, fingerprint, perform)
    fresh = await deps.members.get(tenant.slug, member.id)
    assert fresh is not None
    return fresh
