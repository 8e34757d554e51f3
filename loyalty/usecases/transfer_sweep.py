"""The transfer sweeper: settles transfers that a crash (or a lost response) left open.

A transfer is due SWEEP_GRACE after its attempt was armed, well after the attempt's debit
window closed, so no debit can land while the sweeper looks: the sender's ledger is final.
Debited under the transfer's operation id -> the recipient is credited (once: its own
operation id) and the transfer COMPLETED; not debited -> FAILED, and the day's allowance is
given back. Every change is conditional on what was read, so two workers, or a worker and a
retrying member, settle each transfer once."""

from __future__ import annotations

from loyalty.gifting import Transfer
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.batches import work_through
from loyalty.usecases.transfers import credit

BATCH = 100


async def sweep_transfers(deps: Deps, tenant: Tenant) -> int:
    """Returns how many transfers this run settled."""
    now = deps.clock.now()

    async def fetch(limit: int) -> list[Transfer]:
        return await deps.transfers.due_for_sweep(tenant.slug, now, limit)

    async def handle(transfer: Transfer) -> int:
        return 1 if await settle(deps, tenant, transfer) else 0

    return await work_through(fetch, handle, BATCH, identity=lambda transfer: transfer.id)


async def settle(deps: Deps, tenant: Tenant, transfer: Transfer) -> bool:
    debited = await deps.members.operation_entries(
        transfer.tenant, transfer.sender_id, transfer.out_op
    )
    if debited:
        await credit(deps, tenant, transfer)
        return True
    failed = await deps.transfers.fail(transfer.tenant, transfer.id, transfer.attempt)
    if failed is None:
        return False
    await deps.transfers.return_allowance(transfer)
    return True
