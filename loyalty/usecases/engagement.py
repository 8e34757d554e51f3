"""What follows an order for the member's standing: tier upgrade, segment, referral and (through
the member event log) everything that reacts to those. Each step is idempotent, so a retried
order runs them again harmlessly."""

from __future__ import annotations

from loyalty.members import Member
from loyalty.orders import Order
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import referrals, segments, tiers


async def after_order(deps: Deps, tenant: Tenant, order: Order) -> Member | None:
    await tiers.reevaluate(deps, tenant, order.member_id, scheduled=False)
    await segments.rescore(deps, tenant, order.member_id)
    member = await deps.members.get(tenant.slug, order.member_id)
    if member is not None:
        await referrals.on_order(deps, tenant, member, order)
    return await deps.members.get(tenant.slug, order.member_id)
