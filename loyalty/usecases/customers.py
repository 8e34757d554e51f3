"""A store's customer becoming, or updating, a member: name, email, phone and birthday as the
store knows them."""

from __future__ import annotations

import logging

from loyalty.errors import DomainError
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.store_events import StoreCustomer
from loyalty.tenants import Tenant
from loyalty.usecases.held_orders import claim_held_orders
from loyalty.usecases.members import MAX_DISPLAY_NAME, enrol, update_profile

log = logging.getLogger("loyalty.stores")


async def enrol_customer(deps: Deps, tenant: Tenant, customer: StoreCustomer) -> Member:
    """Enrols the customer (or finds them), then brings their details up to date. A detail the
    program would refuse from the member (a malformed phone, say) is left out rather than
    costing the customer their membership."""
    existing = await deps.members.get_by_external_id(tenant.slug, customer.customer_id)
    name = (customer.name or "").strip()[:MAX_DISPLAY_NAME] or None
    member = await enrol(deps, tenant, customer.customer_id, display_name=name)
    # An earlier enrolment may have stopped before claiming what was held for them.
    if existing is not None and await claim_held_orders(deps, tenant, member):
        member = await deps.members.get(tenant.slug, member.id) or member
    changes = {
        "displayName": name,
        "email": customer.email,
        "phone": customer.phone,
        "birthday": customer.birthday.isoformat() if customer.birthday else None,
    }
    for field, value in changes.items():
        if value is None or value == _current(member, field):
            continue
        try:
            member = await update_profile(deps, member, {field: value})
        except DomainError as exc:
            log.info("customer %s: %s not taken (%s)", customer.customer_id, field, exc.code)
    return member


def _current(member: Member, field: str) -> str | None:
    return {
        "displayName": member.display_name,
        "email": member.email,
        "phone": member.phone,
        "birthday": member.birthday.isoformat() if member.birthday else None,
    }[field]
