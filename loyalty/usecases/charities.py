"""Charities a merchant supports, and members donating points to them."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from loyalty.errors import DomainError, ErrorCode
from loyalty.gifting import Charity, check_charity
from loyalty.gifting_ports import CharityTotal
from loyalty.ledger import Reason, TransactionType
from loyalty.members import Member
from loyalty.orders import request_fingerprint
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.tenants import Tenant
from loyalty.usecases.idempotency import check_key, run_once
from loyalty.usecases.moves import take
from loyalty.wallet import MAX_POINTS_PER_OPERATION

MAX_CHARITIES = 100


async def upsert_charity(
    deps: Deps,
    tenant: Tenant,
    *,
    charity_id: str | None,
    name: LocalizedText,
    logo_url: str | None,
    active: bool,
) -> Charity:
    name, logo = check_charity(name, logo_url)
    now = deps.clock.now()
    if charity_id is not None:
        existing = await deps.charities.get(tenant.slug, charity_id)
        if existing is None:
            raise DomainError(ErrorCode.CHARITY_NOT_FOUND, ("input", "id"))
        charity = replace(existing, name=name, logo_url=logo, active=active, updated_at=now)
    else:
        if len(await deps.charities.list(tenant.slug, active_only=False)) >= MAX_CHARITIES:
            raise DomainError(ErrorCode.OUT_OF_RANGE, ("input",), min=0, max=MAX_CHARITIES)
        charity = Charity("ch_" + secrets.token_hex(6), name, logo, active, now, now)
    await deps.charities.save(tenant.slug, charity)
    return charity


async def donate_points(
    deps: Deps,
    tenant: Tenant,
    member: Member,
    *,
    charity_id: str,
    points: int,
    idempotency_key: str,
) -> Member:
    """Points leave the wallet as a DONATE entry naming the charity (in both languages, as it
    was called then), once per key."""
    check_key(idempotency_key)
    if not 0 < points <= MAX_POINTS_PER_OPERATION:
        raise DomainError(ErrorCode.INVALID_POINTS, ("input", "points"))
    charity = await deps.charities.get(tenant.slug, charity_id)
    if charity is None:
        raise DomainError(ErrorCode.CHARITY_NOT_FOUND, ("input", "charityId"))
    if not charity.active:
        raise DomainError(ErrorCode.CHARITY_INACTIVE, ("input", "charityId"))
    op_id = f"donate:{member.id}:{idempotency_key}"
    reason = Reason(
        "reason.donate",
        {
            "charity_id": charity.id,
            "charity_ar": charity.name.ar or "",
            "charity_en": charity.name.en or "",
        },
    )

    async def perform() -> dict[str, object]:
        await take(
            deps,
            tenant,
            member.id,
            op_id=op_id,
            points=points,
            type_=TransactionType.DONATE,
            reason=reason,
        )
        return {"member_id": member.id}

    fingerprint = request_fingerprint(charity.id, points)
    await run_once(deps, tenant, f"donate:{member.id}", idempotency_key, fingerprint, perform)
    fresh = await deps.members.get(tenant.slug, member.id)
    assert fresh is not None
    return fresh


async def charity_totals(
    deps: Deps, tenant: Tenant, start: datetime, end: datetime
) -> list[tuple[Charity | None, CharityTotal]]:
    """Donations per charity in the range, largest first, with the charity (None if gone)."""
    totals = await deps.charities.totals(tenant.slug, start, end)
    known = {c.id: c for c in await deps.charities.list(tenant.slug, active_only=False)}
    ranked = sorted(totals, key=lambda t: (-t.points, t.charity_id))
    return [(known.get(t.charity_id), t) for t in ranked]
