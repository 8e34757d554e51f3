"""The redemption sweeper: settles attempts that a crash (or a lost response) left unsettled.

A redemption is due SWEEP_GRACE after its attempt was armed, well after the attempt's take
window closed, so no take can land while the sweeper looks: the ledger is final. Points taken
under the redemption's operation id -> ISSUED; none -> FAILED for good (a retry with the same
key may still arm a new attempt for the same reward). Every change is conditional on what was
read, so two workers, or a worker and a retrying member, settle each redemption once."""

from __future__ import annotations

from loyalty.ports import Deps
from loyalty.rewards import Redemption
from loyalty.tenants import Tenant
from loyalty.usecases.batches import work_through
from loyalty.usecases.outbound_events import announce_redeemed

BATCH = 100


async def sweep_redemptions(deps: Deps, tenant: Tenant) -> int:
    """Returns how many redemptions this run settled."""
    now = deps.clock.now()

    async def fetch(limit: int) -> list[Redemption]:
        return await deps.redemptions.due_for_sweep(tenant.slug, now, limit)

    async def handle(redemption: Redemption) -> int:
        return 1 if await settle(deps, redemption) else 0

    return await work_through(fetch, handle, BATCH, identity=lambda redemption: redemption.id)


async def settle(deps: Deps, redemption: Redemption) -> bool:
    taken = await deps.members.operation_entries(
        redemption.tenant, redemption.member_id, redemption.op_id
    )
    if taken:
        done = await deps.redemptions.issue(redemption.tenant, redemption.id)
        if done is not None:
            await announce_redeemed(deps, redemption.tenant, done)
    else:
        done = await deps.redemptions.fail(
            redemption.tenant, redemption.id, redemption.attempt, final=True
        )
    return done is not None
