"""Orders, refunds, activities and adjustments: the events that move points."""

from __future__ import annotations

from datetime import datetime

from loyalty.members import Member
from loyalty.program import ActivityType
from loyalty.usecases import activities, adjustments, members, orders
from resolvers.scope import RequestScope


async def record_order(
    scope: RequestScope,
    *,
    member_external_id: str,
    order_id: str,
    total: str,
    currency: str,
    items: list[orders.OrderLineInput] | None,
    placed_at: datetime | None,
    points_reservation_id: str | None = None,
) -> orders.RecordedOrder:
    return await orders.record_order(
        scope.deps,
        scope.require_tenant(),
        member_external_id=member_external_id,
        order_id=order_id,
        total=total,
        currency=currency,
        items=items,
        placed_at=placed_at,
        points_reservation_id=points_reservation_id,
    )


async def refund_order(
    scope: RequestScope, *, order_id: str, amount: str | None, idempotency_key: str
) -> orders.RefundResult:
    return await orders.refund_order(
        scope.deps,
        scope.require_tenant(),
        order_id=order_id,
        amount=amount,
        idempotency_key=idempotency_key,
    )


async def record_activity(
    scope: RequestScope,
    *,
    member_external_id: str,
    activity: ActivityType,
    key: str,
    occurred_at: datetime | None,
    custom_name: str | None,
) -> activities.ActivityResult:
    tenant = scope.require_tenant()
    member = await members.require_member(
        scope.deps, tenant, member_external_id, ("input", "memberExternalId")
    )
    return await activities.record_activity(
        scope.deps, tenant, member, activity, key, occurred_at, custom_name
    )


async def adjust_points(
    scope: RequestScope, *, member_external_id: str, points: int, reason: str, key: str
) -> Member:
    return await adjustments.adjust_points(
        scope.deps,
        scope.require_tenant(),
        member_external_id=member_external_id,
        points=points,
        reason=reason,
        idempotency_key=key,
    )


async def member_by_external_id(scope: RequestScope, external_id: str) -> Member | None:
    return await scope.deps.members.get_by_external_id(scope.require_tenant().slug, external_id)


async def enroll_member(
    scope: RequestScope, external_id: str, display_name: str | None, locale: str | None
) -> Member:
    return await members.enrol(
        scope.deps, scope.require_tenant(), external_id, display_name=display_name, locale=locale
    )


async def update_profile(scope: RequestScope, changes: dict[str, str | None]) -> Member:
    return await members.update_profile(scope.deps, scope.require_member(), changes)
