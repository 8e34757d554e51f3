"""What follows an order for the member's standing: tier upgrade, segment, and (through the
member event log) everything that reacts to those. Each step is idempotent, so a retried
order runs them again harmlessly."""

from __future__ import annotations

from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import segments, tiers


async def after_order(deps: Deps, tenant: Tenant, member_id: str) -> Member | None:
    await tiers.reevaluate(deps, tenant, member_id, scheduled=False)
    await segments.rescore(deps, tenant, member_id)
    return await deps.members.get(tenant.slug, member_id)
