"""Sending points to another member of the same program: exactly once per idempotency key,
both wallets or neither (see loyalty/gifting.py for the design).

Everything a request can be refused for is checked before anything is written, so a refused
transfer leaves no trace; what a concurrent request can change in between (the balance, the
day's allowance) is decided again by the conditional writes themselves, and a refusal there
marks the attempt FAILED with nothing debited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from loyalty.errors import DomainError, ErrorCode
from loyalty.gifting import (
    SWEEP_GRACE,
    Transfer,
    TransferStatus,
    check_cap,
    check_policy,
    local_day,
    transfer_id,
)
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletChange, WalletState, view
from loyalty.members import Member
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.idempotency import check_key, run_once
from loyalty.usecases.moves import grant, move
from loyalty.wallet import MAX_POINTS_PER_OPERATION, spend

MAX_ROUNDS = 4
REASON_OUT = Reason("reason.transfer_out")
REASON_IN = Reason("reason.transfer_in")


class Lapsed(Exception):
    """The attempt's debit window closed before the debit was written."""


@dataclass(frozen=True)
class Transferred:
    transfer: Transfer
    sender: Member


async def transfer_points(
    deps: Deps,
    tenant: Tenant,
    sender: Member,
    *,
    to_external_id: str,
    points: int,
    idempotency_key: str,
) -> Transferred:
    check_key(idempotency_key)
    policy = tenant.program.gifting
    now = deps.clock.now()
    check_policy(policy, sender, now)
    if not 0 < points <= MAX_POINTS_PER_OPERATION:
        raise DomainError(ErrorCode.INVALID_POINTS, ("input", "points"))
    if to_external_id == sender.external_id:
        raise DomainError(ErrorCode.SELF_TRANSFER, ("input", "toMemberExternalId"))
    recipient = await deps.members.get_by_external_id(tenant.slug, to_external_id)
    if recipient is None:
        raise DomainError(ErrorCode.RECIPIENT_NOT_FOUND, ("input", "toMemberExternalId"))
    record_id = transfer_id(tenant.slug, sender.id, idempotency_key)
    fingerprint = request_fingerprint(recipient.id, points)

    async def perform() -> dict[str, object]:
        existing = await deps.transfers.get(tenant.slug, record_id)
        if existing is None or existing.status is TransferStatus.FAILED:
            await _precheck(deps, tenant, sender.id, points)
        day = local_day(deps.clock.now(), tenant.program.zone()).isoformat()
        candidate = Transfer(
            id=record_id,
            tenant=tenant.slug,
            sender_id=sender.id,
            recipient_id=recipient.id,
            points=points,
            status=TransferStatus.PENDING,
            created_at=deps.clock.now(),
            armed_at=deps.clock.now(),
            attempt=1,
            day=day,
            sweep_at=deps.clock.now() + SWEEP_GRACE,
        )
        record = await deps.transfers.open(candidate)
        if (record.recipient_id, record.points) != (recipient.id, points):
            raise DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, ("input", "idempotencyKey"))
        await complete(deps, tenant, record)
        return {"transfer_id": record.id}

    await run_once(deps, tenant, f"transfer:{sender.id}", idempotency_key, fingerprint, perform)
    done = await deps.transfers.get(tenant.slug, record_id)
    fresh = await deps.members.get(tenant.slug, sender.id)
    assert done is not None and fresh is not None
    return Transferred(done, fresh)


async def _precheck(deps: Deps, tenant: Tenant, sender_id: str, points: int) -> None:
    """Refusals decided before any write (a concurrent request may still win the writes)."""
    current = await deps.members.get(tenant.slug, sender_id)
    assert current is not None
    available = view(current.wallet, deps.clock.now()).balance
    if available < points:
        raise DomainError(ErrorCode.INSUFFICIENT_POINTS, points=points, balance=available)
    policy = tenant.program.gifting
    if policy.daily_cap is not None:
        day = local_day(deps.clock.now(), tenant.program.zone()).isoformat()
        check_cap(policy, await deps.transfers.sent_on(tenant.slug, sender_id, day), points)


async def complete(deps: Deps, tenant: Tenant, record: Transfer) -> Transfer:
    """Debits, credits and closes the attempt, or finishes what an earlier one began."""
    for _ in range(MAX_ROUNDS):
        if record.status is TransferStatus.COMPLETED:
            return record
        if record.status is TransferStatus.FAILED:
            record = await _rearm(deps, tenant, record)
            continue
        await _take_allowance(deps, tenant, record)
        try:
            await _debit(deps, tenant, record)
        except Lapsed:
            # The sweeper will settle this attempt from the ledger; a retry re-arms it.
            raise DomainError(ErrorCode.IN_PROGRESS) from None
        except DomainError:
            if await deps.transfers.fail(tenant.slug, record.id, record.attempt) is not None:
                await deps.transfers.return_allowance(record)
            raise
        return await credit(deps, tenant, record)
    raise DomainError(ErrorCode.IN_PROGRESS)


async def credit(deps: Deps, tenant: Tenant, record: Transfer) -> Transfer:
    """The recipient's side: once per transfer (its own operation id), then closed."""
    await grant(
        deps,
        tenant,
        record.recipient_id,
        op_id=record.in_op,
        points=record.points,
        type_=TransactionType.TRANSFER_IN,
        reason=REASON_IN,
        at=deps.clock.now(),
    )
    closed = await deps.transfers.complete(tenant.slug, record.id)
    return closed or await _reread(deps, tenant, record)


async def _take_allowance(deps: Deps, tenant: Tenant, record: Transfer) -> None:
    policy = tenant.program.gifting
    if policy.daily_cap is None:
        return
    expire_at = deps.clock.now() + timedelta(days=2)
    if await deps.transfers.take_allowance(record, policy.daily_cap, expire_at):
        return
    # Concurrent transfers used the day's allowance since the pre-check: nothing debited.
    await deps.transfers.fail(tenant.slug, record.id, record.attempt)
    check_cap(
        policy,
        await deps.transfers.sent_on(tenant.slug, record.sender_id, record.day),
        record.points,
    )
    raise DomainError(ErrorCode.IN_PROGRESS)  # the allowance moved again meanwhile: retry


async def _debit(deps: Deps, tenant: Tenant, record: Transfer) -> None:
    """The deadline is checked inside the wallet write, as late as possible, so that no debit
    lands after the sweeper may have looked."""
    deadline = record.take_deadline

    def operation(state: WalletState) -> WalletChange:
        now = deps.clock.now()
        if now > deadline:
            raise Lapsed
        return spend(
            state,
            now,
            op_id=record.out_op,
            points=record.points,
            type_=TransactionType.TRANSFER_OUT,
            reason=REASON_OUT,
        )

    await move(deps, tenant.slug, record.sender_id, record.out_op, operation)


async def _rearm(deps: Deps, tenant: Tenant, record: Transfer) -> Transfer:
    now = deps.clock.now()
    rearmed = await deps.transfers.rearm(
        tenant.slug, record.id, record.attempt, now, now + SWEEP_GRACE
    )
    return rearmed or await _reread(deps, tenant, record)


async def _reread(deps: Deps, tenant: Tenant, record: Transfer) -> Transfer:
    latest = await deps.transfers.get(tenant.slug, record.id)
    assert latest is not None
    return latest
