"""Moving points: apply a wallet operation, then announce it to subscribers.

Every use case moves points through here, so that a change is announced exactly when it was
committed (never for a replayed retry, never before the write)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from loyalty.errors import DomainError
from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Applied, Deps, MemberRead, Standing, WalletOperation
from loyalty.rule_pending import PendingRule
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
    await _announce(deps, tenant, applied)
    return applied


async def _announce(deps: Deps, tenant: str, applied: Applied) -> None:
    if applied.entries and not applied.replayed:
        deps.events.publish(tenant, applied.member.id)
        deps.meter.moved(tenant, applied.entries)
    # Also on a replay: its event key is the same, so recording again only fills in what a
    # crash between the wallet write and the record may have left out.
    await announce_affordable(deps, tenant, applied)
    await announce_points(deps, tenant, applied)  # same: its keys are the entries' seqs


async def move_many(
    deps: Deps, tenant: str, op_id: str, work: Sequence[tuple[MemberRead, WalletOperation]]
) -> tuple[list[Applied], list[str]]:
    """`move` for a page of members (a bulk job's batch): the wallets applied, and the ids of
    members it could not be applied to (gone, or their wallet stayed contended). The batch is
    written in a few round trips; a wallet whose batched write may have lost a race is moved
    on its own, which finds out durably whether the operation is there already."""
    batch = await deps.members.apply_many(tenant, op_id, work)
    done = list(batch.applied)
    failed: list[str] = []
    operations = {read.member.id: operation for read, operation in work}
    for member_id in batch.unsettled:
        try:
            done.append(await deps.members.apply(tenant, member_id, op_id, operations[member_id]))
        except DomainError:
            failed.append(member_id)
    for applied in done:
        await _announce(deps, tenant, applied)
    return done, failed


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
    pending: PendingRule | None = None,
) -> Applied:
    """Points spendable from `at`, or as many days later as the program's pending period for
    the `pending` rule says; expiring as the program says."""
    expires_at = tenant.program.expires_at(at)
    days = 0 if pending is None else tenant.program.rule_pending.days(pending)
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
            available_at=at + timedelta(days=days),
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
