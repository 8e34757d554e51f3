"""Activities (signup, review, birthday...) that earn points under the program's caps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from loyalty.badges import BadgeRule
from loyalty.earning import cap_bucket, cap_kept_until
from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.members import Member
from loyalty.ports import ActivityRecord, Deps
from loyalty.program import ActivityType
from loyalty.rule_pending import PendingRule
from loyalty.tenants import Tenant
from loyalty.usecases import badges
from loyalty.usecases.idempotency import MAX_KEY
from loyalty.usecases.moves import grant


@dataclass(frozen=True)
class ActivityResult:
    record: ActivityRecord
    member: Member
    replayed: bool


async def record_activity(
    deps: Deps,
    tenant: Tenant,
    member: Member,
    activity: ActivityType,
    key: str,
    occurred_at: datetime | None,
    custom_name: str | None,
) -> ActivityResult:
    """Idempotent on (member, activity, key): e.g. one review reward per product when the key
    is the product id. Caps are enforced with a counter document whose conditional increment
    is atomic, so concurrent activities cannot exceed them; the counter remembers which
    activity holds each place, so that a retry (or a concurrent duplicate) of one activity
    takes one place, however its earlier attempts ended."""
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "key"), detail="key")
    now = deps.clock.now()
    occurred = occurred_at or now
    if occurred > now:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "occurredAt"), detail="occurredAt")
    activity_name = activity.value if custom_name is None else f"{activity.value}:{custom_name}"
    existing = await deps.activities.find(tenant.slug, member.id, activity_name, key)
    if existing is not None:
        return await _finish(deps, tenant, member, existing, replayed=True)

    rule = tenant.program.activity_rule(activity, custom_name)
    points = rule.points if rule is not None else 0
    counter: str | None = None
    if rule is not None and points > 0 and rule.limit is not None:
        local = occurred.astimezone(tenant.program.zone())
        counter = f"{member.id}:{rule.id}:{cap_bucket(rule.period, local)}"
        until = cap_kept_until(rule.period, local)
        holder = f"{activity_name}:{key}"
        if not await deps.activities.take_cap(
            tenant.slug, counter, rule.limit, holder, until=until
        ):
            raise DomainError(ErrorCode.ACTIVITY_LIMIT_REACHED, ("input", "activity"))
    record = ActivityRecord(
        tenant=tenant.slug,
        member_id=member.id,
        activity=activity_name,
        key=key,
        points=points,
        occurred_at=occurred,
        cap_counter=counter,
    )
    stored, created = await deps.activities.insert(record)
    if not created:  # a concurrent duplicate recorded it; both hold the same place
        return await _finish(deps, tenant, member, stored, replayed=True)
    return await _finish(deps, tenant, member, stored, replayed=False)


async def _finish(
    deps: Deps, tenant: Tenant, member: Member, record: ActivityRecord, *, replayed: bool
) -> ActivityResult:
    result = await _grant(deps, tenant, member, record, replayed=replayed)
    # On replays too: a retry after a crash finishes an award the first attempt missed.
    if record.activity == ActivityType.PRODUCT_REVIEW.value and await badges.evaluate(
        deps, tenant, member.id, {BadgeRule.REVIEW_COUNT}
    ):
        fresh = await deps.members.get(tenant.slug, member.id)
        result = replace(result, member=fresh or result.member)
    return result


async def _grant(
    deps: Deps, tenant: Tenant, member: Member, record: ActivityRecord, *, replayed: bool
) -> ActivityResult:
    if record.points <= 0:
        return ActivityResult(record, member, replayed)
    activity = record.activity.split(":", 1)[0]
    applied = await grant(
        deps,
        tenant,
        member.id,
        op_id=f"activity:{record.activity}:{record.key}",
        points=record.points,
        type_=TransactionType.EARN,
        reason=Reason(f"reason.activity.{activity}", {"key": record.key}),
        at=record.occurred_at,
        pending=PendingRule.ACTIVITIES,
    )
    return ActivityResult(record, applied.member, replayed or applied.replayed)
