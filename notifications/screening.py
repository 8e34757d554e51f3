"""Deciding, for a whole claimed batch at once, which rows go out now: opt-outs, devices, quiet
hours per device time zone, whether what the push says is still true (balance, reward,
audience) and the daily marketing cap. A fixed number of queries per batch, never one per row:
preferences, devices and members (one each), each campaign named in the batch, and the cap
slots in a few bulk writes. Outcomes are collected here and written in bulk (outcomes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from loyalty.devices import Category, Device, NotificationPrefs, member_zone
from loyalty.members import Member
from loyalty.notification_ports import Campaign
from loyalty.notifications import (
    UNCONFIRMED,
    Notification,
    NotificationKind,
    NotificationStatus,
    PushResult,
    SkipReason,
)
from loyalty.ports import Deps
from loyalty.push_batch import allot, local_days, quiet_wakes, wanted_slots
from loyalty.rewards import Reward
from loyalty.tenants import Tenant
from loyalty.usecases.affordable import still_affordable
from notifications.outcomes import Outcomes
from notifications.reminders import points_expiring_at
from notifications.templates import render

NEEDS_MEMBER = {NotificationKind.POINTS_EXPIRING, NotificationKind.REWARD_AFFORDABLE}


@dataclass
class Ready:
    row: Notification
    body: str
    devices: list[Device]
    results: list[PushResult] = field(default_factory=list)


@dataclass
class _Seen:
    row: Notification
    devices: list[Device]
    prefs: NotificationPrefs
    zone: ZoneInfo


async def screen(
    deps: Deps, tenant: Tenant, rows: list[Notification], now: datetime, outcomes: Outcomes
) -> list[Ready]:
    slug = tenant.slug
    ids = sorted({row.member_id for row in rows})
    prefs = await deps.preferences.get_many(slug, ids)
    devices = await deps.devices.for_members(slug, ids)
    seen: list[_Seen] = []
    for row in rows:
        kept = _first_checks(row, prefs, devices, tenant, now, outcomes)
        if kept is not None:
            seen.append(kept)
    # Quiet hours: one computation per (zone, quiet window), one write per wake-up time.
    wakes = quiet_wakes(now, {s.row.member_id: (s.prefs, s.zone) for s in seen})
    awake = []
    for s in seen:
        wake = wakes.get(s.row.member_id)
        if wake is None:
            awake.append(s)
        else:
            outcomes.postpone(s.row, wake, attempts=s.row.attempts, reason="QUIET_HOURS")
    ready = await _still_true(deps, tenant, awake, now, outcomes)
    return await _within_cap(deps, tenant, ready, now, outcomes)


def _first_checks(
    row: Notification,
    prefs: dict[str, NotificationPrefs],
    devices: dict[str, list[Device]],
    tenant: Tenant,
    now: datetime,
    outcomes: Outcomes,
) -> _Seen | None:
    if row.dispatched:
        # The drain that handed it to FCM died before recording the answer: FCM may well
        # have it, so it is counted as sent and never handed over again.
        outcomes.finish(row, NotificationStatus.SENT, reason=UNCONFIRMED)
        return None
    if row.expires_at is not None and row.expires_at <= now:
        outcomes.finish(row, NotificationStatus.SKIPPED, reason=SkipReason.EXPIRED)
        return None
    member_prefs = prefs.get(row.member_id) or NotificationPrefs()
    if not member_prefs.allows(row.category):
        outcomes.finish(row, NotificationStatus.SKIPPED, reason=SkipReason.OPTED_OUT)
        return None
    own = devices.get(row.member_id, [])
    if row.retry_tokens is not None:
        own = [device for device in own if device.token in row.retry_tokens]
        if not own:  # the devices still owed are gone; the others already got it
            outcomes.finish(row, NotificationStatus.SENT)
            return None
    if not own:
        outcomes.finish(row, NotificationStatus.SKIPPED, reason=SkipReason.NO_DEVICE)
        return None
    return _Seen(row, own, member_prefs, member_zone(own, tenant.program.timezone))


async def _still_true(
    deps: Deps, tenant: Tenant, seen: list[_Seen], now: datetime, outcomes: Outcomes
) -> list[tuple[_Seen, Ready]]:
    """Balance and eligibility as they are now, from one read of the batch's members (and,
    for campaign rows, one query per campaign naming only who is still in its audience)."""
    wanted = sorted({s.row.member_id for s in seen if s.row.kind in NEEDS_MEMBER})
    members = await deps.audiences.by_ids(tenant.slug, wanted) if wanted else {}
    audiences: dict[str, set[str]] = {}
    for campaign_id in sorted({s.row.campaign_id for s in seen if s.row.campaign_id}):
        campaign = await deps.campaigns.get(tenant.slug, campaign_id)
        audiences[campaign_id] = await _still_in(deps, tenant, campaign, seen)
    rewards: dict[str, Reward] | None = None
    ready = []
    for s in seen:
        row, member = s.row, members.get(s.row.member_id)
        body: str | None = row.body
        reason: SkipReason | None = None
        if row.kind is NotificationKind.POINTS_EXPIRING:
            body = _recheck_expiring(member, tenant, row, now, s.zone.key)
            reason = SkipReason.POINTS_GONE if body is None else None
        elif row.kind is NotificationKind.REWARD_AFFORDABLE:
            if rewards is None:  # read once per batch, and only when a row needs it
                listed = await deps.rewards.list(tenant.slug, active_only=True)
                rewards = {reward.id: reward for reward in listed}
            reward = rewards.get(row.data.get("rewardId", ""))
            if member is None or not still_affordable(tenant.program, member, reward, now):
                reason = SkipReason.REWARD_UNAVAILABLE
        elif row.campaign_id is not None and row.member_id not in audiences[row.campaign_id]:
            reason = SkipReason.LEFT_AUDIENCE
        if reason is not None or body is None:
            outcomes.finish(row, NotificationStatus.SKIPPED, reason=reason)
            continue
        ready.append((s, Ready(row=row, body=body, devices=s.devices)))
    return ready


async def _still_in(
    deps: Deps, tenant: Tenant, campaign: Campaign | None, seen: list[_Seen]
) -> set[str]:
    if campaign is None:
        return set()
    ids = sorted({s.row.member_id for s in seen if s.row.campaign_id == campaign.id})
    return await deps.audiences.still_in_audience(
        tenant.slug, campaign.segment, campaign.tier_id, ids
    )


async def _within_cap(
    deps: Deps,
    tenant: Tenant,
    ready: list[tuple[_Seen, Ready]],
    now: datetime,
    outcomes: Outcomes,
) -> list[Ready]:
    """Marketing rows take a slot of the member's daily cap for their local day, all in bulk
    (a partial retry already took its slot on its first attempt)."""
    capped = [
        (s, item)
        for s, item in ready
        if item.row.category is Category.MARKETING and item.row.delivered == 0
    ]
    if not capped:
        return [item for _, item in ready]
    days = local_days(now, {s.row.member_id: s.zone for s, _ in capped})
    keys = [(s.row.member_id, days[s.row.member_id]) for s, _ in capped]
    claim = capped[0][1].row.claim or ""
    granted = await deps.outbox.take_daily_slots(
        tenant.slug, claim, wanted_slots(keys), tenant.program.daily_marketing_cap
    )
    refused = set()
    for (_, item), has in zip(capped, allot(keys, granted), strict=True):
        if not has:
            refused.add(item.row.id)
            outcomes.finish(item.row, NotificationStatus.SKIPPED, reason=SkipReason.DAILY_CAP)
    return [item for _, item in ready if item.row.id not in refused]


def _recheck_expiring(
    member: Member | None, tenant: Tenant, row: Notification, now: datetime, timezone: str
) -> str | None:
    moment = row.expires_at
    if member is None or moment is None:
        return None
    points = points_expiring_at(member.wallet, moment, now)
    if points == 0:
        return None
    if str(points) == row.data.get("points"):
        return row.body
    params = {"points": points, "date": moment}
    return render(row.kind, row.locale, tenant.program, params, timezone)[1]
