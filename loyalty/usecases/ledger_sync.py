"""The ledger sweeper: copies wallet journals that a crash left unsynced, so that analytics,
exports and leaderboards (which read the ledger collection) never miss a committed entry."""

from __future__ import annotations

from loyalty.ports import Deps
from loyalty.usecases.batches import work_through

BATCH = 500


async def sync_lagging_ledgers(deps: Deps, tenant: str, max_batches: int = 20) -> int:
    """Returns how many wallets were brought up to date. Idempotent, and safe beside writers:
    copies ignore entries already there and the synced mark is conditional on the seq read."""

    async def sync_one(member_id: str) -> int:
        return 1 if await deps.members.sync_ledger(tenant, member_id) else 0

    return await work_through(
        lambda size: deps.members.lagging_ledger_ids(tenant, size),
        sync_one,
        BATCH,
        max_batches,
    )
