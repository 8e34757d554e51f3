"""What follows an order for the member's standing: tier upgrade, segment, referral, badges
and (through the member event log) everything that reacts to those. Each step is idempotent,
so a retried order runs them again harmlessly."""

from __future__ import annotations

from loyalty.badges import ORDER_RULES
from loyalty.members import Member
from loyalty.orders import Order
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import badges, referrals, segments, tiers


async def after_order(deps: Deps, tenant: Tenant, order: Order) -> Member | None:
    await tiers.reevaluate(deps, tenant, order.member_id, scheduled=False)
    await segments.rescore(deps, tenant, order.member_id)
    member = await deps.members.get(tenant.slug, order.member_id)
    if member is not None:
        await referrals.on_order(deps, tenant, member, order)
    # After the tier step, so that a tier reached by this very order earns its badge now.
    await badges.evaluate(deps, tenant, order.member_id, ORDER_RULES)
    return await deps.members.get(tenant.slug, order.member_id)
