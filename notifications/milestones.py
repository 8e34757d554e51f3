"""Pushes for what happened to a member: tier upgrades, VIP trials, rewards now affordable
(from the member event log, consumer "push": an event is marked handled only after its push is
in the outbox, and the outbox dedupes on the event id, so a crash between the two never doubles
a push)."""

from __future__ import annotations

from datetime import datetime

from loyalty.clock import ensure_utc
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.notifications import NotificationKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.batches import work_through
from notifications.outbox import queue
from notifications.templates import tier_name

CONSUMER = "push"
BATCH = 500

KINDS = {
    MemberEventKind.TIER_UPGRADED: NotificationKind.TIER_UPGRADED,
    MemberEventKind.VIP_TRIAL_STARTED: NotificationKind.VIP_TRIAL_STARTED,
    MemberEventKind.VIP_TRIAL_ENDING_SOON: NotificationKind.VIP_TRIAL_ENDING_SOON,
    MemberEventKind.VIP_TRIAL_ENDED: NotificationKind.VIP_TRIAL_ENDED,
    MemberEventKind.REWARD_AFFORDABLE: NotificationKind.REWARD_AFFORDABLE,
    MemberEventKind.BIRTHDAY: NotificationKind.BIRTHDAY,
}


async def queue_milestones(deps: Deps, tenant: Tenant, max_batches: int = 20) -> int:
    async def queue_one(event: MemberEvent) -> int:
        queued = await _queue_one(deps, tenant, event)
        await deps.member_events.mark_handled(tenant.slug, CONSUMER, event.id)
        return int(queued)

    return await work_through(
        lambda size: deps.member_events.unhandled(tenant.slug, CONSUMER, list(KINDS), size),
        queue_one,
        BATCH,
        max_batches,
        identity=lambda event: event.id,
    )


async def _queue_one(deps: Deps, tenant: Tenant, event: MemberEvent) -> bool:
    member = await deps.members.get(tenant.slug, event.member_id)
    if member is None:
        return False
    if event.kind is MemberEventKind.REWARD_AFFORDABLE:
        return await _queue_affordable(deps, tenant, member, event)
    if event.kind is MemberEventKind.BIRTHDAY:
        return await _queue_birthday(deps, tenant, member, event)
    tier_id = _text(event.data.get("tier_id")) or _text(event.data.get("tier"))
    ends_at = _moment(event.data.get("ends_at"))
    params: dict[str, object] = {
        "tier": tier_name(tenant.program, tier_id, member.locale),
        "date": ends_at or "",
    }
    data = {"eventId": event.id}
    if tier_id:
        data["tierId"] = tier_id
    return await queue(
        deps,
        tenant,
        member,
        KINDS[event.kind],
        f"event:{event.id}",
        params,
        data=data,
        # An "ending soon" push after the trial ended would be wrong: it expires with it.
        expires_at=ends_at if event.kind is MemberEventKind.VIP_TRIAL_ENDING_SOON else None,
    )


async def _queue_affordable(deps: Deps, tenant: Tenant, member: Member, event: MemberEvent) -> bool:
    """Queued even if the reward went away meanwhile: the sender re-checks it right before
    sending and logs the skip, so the merchant sees why no push left."""
    reward_id = _text(event.data.get("reward_id")) or ""
    reward = await deps.rewards.get(tenant.slug, reward_id)
    cost = event.data.get("cost")
    params: dict[str, object] = {
        "reward": reward.name.pick(member.locale, reward_id) if reward else reward_id,
        "points": reward.cost if reward else (cost if isinstance(cost, int) else 0),
    }
    data = {"eventId": event.id, "rewardId": reward_id}
    return await queue(
        deps,
        tenant,
        member,
        NotificationKind.REWARD_AFFORDABLE,
        f"event:{event.id}",
        params,
        data=data,
    )


async def _queue_birthday(deps: Deps, tenant: Tenant, member: Member, event: MemberEvent) -> bool:
    points = event.data.get("points")
    params: dict[str, object] = {"points": points if isinstance(points, int) else 0}
    reward_id = _text(event.data.get("reward_id"))
    if reward_id is not None:
        reward = await deps.rewards.get(tenant.slug, reward_id)
        name = reward.name.pick(member.locale, reward_id) if reward else None
        params = {"variant": "coupon", "reward": name or reward_id}
    return await queue(
        deps,
        tenant,
        member,
        NotificationKind.BIRTHDAY,
        f"event:{event.id}",
        params,
        data={"eventId": event.id},
    )


def _text(value: str | int | None) -> str | None:
    return None if value is None else str(value)


def _moment(value: str | int | None) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return ensure_utc(datetime.fromisoformat(value))
    except ValueError:
        return None
