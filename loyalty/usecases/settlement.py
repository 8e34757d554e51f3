"""Writes the RELEASE and EXPIRE ledger entries that came due (balances never wait for it:
they are computed from the lots on read)."""

from __future__ import annotations

from loyalty.ports import Deps
from loyalty.usecases.moves import move
from loyalty.wallet import settle

BATCH = 500


async def settle_due_wallets(deps: Deps, tenant: str, max_batches: int = 20) -> int:
    """Returns how many ledger entries were written. Idempotent: settling a settled wallet
    writes nothing."""
    written = 0
    for _ in range(max_batches):
        now = deps.clock.now()
        due = await deps.members.due_member_ids(tenant, now, BATCH)
        for member_id in due:
            applied = await move(
                deps, tenant, member_id, "settle", lambda state: settle(state, deps.clock.now())
            )
            written += len(applied.entries)
        if len(due) < BATCH:
            break
    return written
