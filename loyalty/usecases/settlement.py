"""Writes the RELEASE and EXPIRE ledger entries that came due (balances never wait for it:
they are computed from the lots on read)."""

from __future__ import annotations

from loyalty.ports import Deps
from loyalty.usecases.batches import work_through_keyset
from loyalty.usecases.moves import move
from loyalty.wallet import settle

BATCH = 500


async def settle_due_wallets(
    deps: Deps, tenant: str, max_batches: int = 20, batch: int = BATCH
) -> int:
    """Returns how many ledger entries were written. Idempotent: settling a settled wallet
    writes nothing."""

    async def settle_one(member_id: str) -> int:
        applied = await move(
            deps,
            tenant,
            member_id,
            "settle",
            lambda state: settle(state, deps.clock.now()),
            maybe_applied=False,  # settlement records no operation id: nothing to replay
        )
        return len(applied.entries)

    now = deps.clock.now()
    return await work_through_keyset(
        lambda size, after: deps.members.due_wallets(tenant, now, size, after),
        settle_one,
        batch,
        max_batches,
    )
