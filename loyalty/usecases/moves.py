"""Moving points: apply a wallet operation, then announce it to subscribers.

Every use case moves points through here, so that a change is announced exactly when it was
committed (never for a replayed retry, never before the write)."""

from __future__ import annotations

from datetime import datetime

from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Applied, Deps, MemberRead, Standing, WalletOperation
from loyalty.tenants import Tenant
from loyalty.usecases.affordable import announce_affordable
from loyalty.usecases.outbound_events import announce_points
from loyalty.wallet import earn, spend


async def move(
    deps: Deps,
    tenant: str,
    member_id: str,
    op_id: str,
    operation: WalletOperation,
    *,
    maybe_applied: bool = True,
    read: MemberRead | None = None,
    standing: Standing | None = None,
) -> Applied:
    """`maybe_applied=False` only from a caller that just created the operation's own unique
    record, so no earlier attempt can have applied it (saves the ledger look-up). `read` and
    `standing`: see MemberRepository.apply."""
    applied = await deps.members.apply(
        tenant,
        member_id,
        op_id,
        operation,
        maybe_applied=maybe_applied,
        read=read,
        standing=standing,
    )
    if applied.entries and not applied.replayed:
        deps.events.publish(tenant, member_id)
        deps.meter.moved(tenant, applied.entries)
    # Also on a replay: its event key is the same, so recording again only fills in what a
    # crash between the wallet write and the record may have left out.
    await announce_affordable(deps, tenant, applied)
    await announce_points(deps, tenant, applied)  # same: its keys are the entries' seqs
    return applied


async def grant(
    deps: Deps,
    tenant: Tenant,
    member_id: str,
    *,
    op_id: str,
    points: int,
    type_: TransactionType,
    reason: Reason,
    at: datetime,
) -> Applied:
    """Points spendable from `at`, expiring as the program says."""
    expires_at = tenant.program.expires_at(at)
    return await move(
        deps,
        tenant.slug,
        member_id,
        op_id,
        lambda state: earn(
            state,
            deps.clock.now(),
            op_id=op_id,
            points=points,
            type_=type_,
            reason=reason,
            earned_at=at,
            available_at=at,
            expires_at=expires_at,
        ),
    )


async def take(
    deps: Deps,
    tenant: Tenant,
    member_id: str,
    *,
    op_id: str,
    points: int,
    type_: TransactionType,
    reason: Reason,
) -> Applied:
    """Spend points, soonest-expiring first; INSUFFICIENT_POINTS leaves everything as it was."""
    return await move(
        deps,
        tenant.slug,
        member_id,
        op_id,
        lambda state: spend(
            state, deps.clock.now(), op_id=op_id, points=points, type_=type_, reason=reason
        ),
    )
