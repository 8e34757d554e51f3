"""Draining the outbox: decide per row (opt-out, quiet hours, cap, still true?), hand the
messages to the sender in batches, and record what happened.

Retryable failures (QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL) put the row back to PENDING with
exponential backoff and full jitter, never sooner than the service's Retry-After; the worker
never sleeps on them. Dead tokens (UNREGISTERED, INVALID_ARGUMENT) are forgotten."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from loyalty.devices import Category, Device, NotificationPrefs, member_zone
from loyalty.members import Member
from loyalty.notifications import (
    Notification,
    NotificationKind,
    NotificationStatus,
    PushError,
    PushMessage,
    PushResult,
    PushSender,
    SkipReason,
)
from loyalty.ports import Deps
from loyalty.rewards import Reward
from loyalty.tenants import Tenant
from loyalty.usecases.affordable import still_affordable
from notifications.reminders import points_expiring_at
from notifications.templates import render

BATCH = 500
HOLD = timedelta(minutes=5)  # a claimed row returns to the pool if its drain dies
MAX_ATTEMPTS = 6
BASE_DELAY = 30.0
MAX_DELAY = 3600.0


def backoff(attempt: int, retry_after: float | None, rng: random.Random | None = None) -> float:
    """Seconds to wait before attempt `attempt + 1`: full jitter over an exponential ceiling,
    but never less than what the service asked for."""
    ceiling = min(MAX_DELAY, BASE_DELAY * 2 ** max(attempt - 1, 0))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


@dataclass
class _Ready:
    row: Notification
    body: str
    devices: list[Device]
    results: list[PushResult] = field(default_factory=list)
    lost: bool = False  # another drain took the row after this drain's hold lapsed


async def drain(deps: Deps, tenant: Tenant, sender: PushSender, limit: int = BATCH) -> int:
    """One pass; returns how many rows were handled (sent, skipped, failed or deferred)."""
    now = deps.clock.now()
    rows = await deps.outbox.claim_due(tenant.slug, now, now + HOLD, limit)
    ids = sorted({row.member_id for row in rows})
    # Three queries for the whole batch, not three per row.
    batch = _Batch(
        prefs=await deps.preferences.get_many(tenant.slug, ids),
        devices=await deps.devices.for_members(tenant.slug, ids),
        members=await deps.audiences.by_ids(tenant.slug, ids) if rows else {},
        sender=sender.name,
    )
    ready: list[_Ready] = []
    for row in rows:
        prepared = await _prepare(deps, tenant, row, now, batch)
        if prepared is not None:
            ready.append(prepared)
    messages: list[tuple[_Ready, PushMessage]] = [
        (item, _message(item, device, now)) for item in ready for device in item.devices
    ]
    claim = (rows[0].claim or "") if rows else ""
    for start in range(0, len(messages), sender.batch_size):
        # Sending can outlive the hold: renew it first, and leave out the rows another drain
        # took meanwhile (it sends them; sending them here too would push twice).
        held = await deps.outbox.hold(tenant.slug, claim, deps.clock.now() + HOLD)
        chunk = []
        for item, message in messages[start : start + sender.batch_size]:
            item.lost = item.lost or item.row.id not in held
            if not item.lost:
                chunk.append((item, message))
        if not chunk:
            continue
        results = await sender.send([message for _, message in chunk])
        for (item, _), result in zip(chunk, results, strict=True):
            item.results.append(result)
    sent: list[str] = []
    for item in ready:
        if not item.lost:
            await _record(deps, tenant, sender, item, now, sent)
    await deps.outbox.mark_sent(tenant.slug, claim, sent, at=now, sender=sender.name)
    return len(rows)


@dataclass
class _Batch:
    prefs: dict[str, NotificationPrefs]
    devices: dict[str, list[Device]]
    members: dict[str, Member]
    sender: str
    _rewards: dict[str, Reward] | None = None

    async def active_rewards(self, deps: Deps, tenant: str) -> dict[str, Reward]:
        """Read once per drain, and only when a row needs it."""
        if self._rewards is None:
            listed = await deps.rewards.list(tenant, active_only=True)
            self._rewards = {reward.id: reward for reward in listed}
        return self._rewards


async def _prepare(
    deps: Deps, tenant: Tenant, row: Notification, now: datetime, batch: _Batch
) -> _Ready | None:
    outbox = deps.outbox
    if row.expires_at is not None and row.expires_at <= now:
        await outbox.finish(row, NotificationStatus.SKIPPED, at=now, reason=SkipReason.EXPIRED)
        return None
    prefs = batch.prefs.get(row.member_id) or NotificationPrefs()
    if not prefs.allows(row.category):
        await outbox.finish(row, NotificationStatus.SKIPPED, at=now, reason=SkipReason.OPTED_OUT)
        return None
    devices = batch.devices.get(row.member_id, [])
    if row.retry_tokens is not None:
        devices = [device for device in devices if device.token in row.retry_tokens]
        if not devices:  # the devices still owed are gone; the others already got it
            await outbox.finish(row, NotificationStatus.SENT, at=now, sender=batch.sender)
            return None
    if not devices:
        await outbox.finish(row, NotificationStatus.SKIPPED, at=now, reason=SkipReason.NO_DEVICE)
        return None
    zone = member_zone(devices, tenant.program.timezone)
    wake = prefs.quiet_until(now, zone)
    if wake is not None:
        await outbox.postpone(row, wake, attempts=row.attempts, reason="QUIET_HOURS")
        return None
    body = row.body
    if row.kind is NotificationKind.POINTS_EXPIRING:
        member = batch.members.get(row.member_id)
        body_or_none = _recheck_expiring(member, tenant, row, now, zone.key)
        if body_or_none is None:
            await outbox.finish(
                row, NotificationStatus.SKIPPED, at=now, reason=SkipReason.POINTS_GONE
            )
            return None
        body = body_or_none
    if row.kind is NotificationKind.REWARD_AFFORDABLE:
        member = batch.members.get(row.member_id)
        reward = (await batch.active_rewards(deps, tenant.slug)).get(row.data.get("rewardId", ""))
        if member is None or not still_affordable(tenant.program, member, reward, now):
            await outbox.finish(
                row, NotificationStatus.SKIPPED, at=now, reason=SkipReason.REWARD_UNAVAILABLE
            )
            return None
    # A partial retry already took its slot of the daily cap on the first attempt.
    if row.category is Category.MARKETING and row.delivered == 0:
        day = now.astimezone(zone).date().isoformat()
        cap = tenant.program.daily_marketing_cap
        if not await outbox.take_daily_slot(tenant.slug, row.member_id, day, cap):
            await outbox.finish(
                row, NotificationStatus.SKIPPED, at=now, reason=SkipReason.DAILY_CAP
            )
            return None
    return _Ready(row=row, body=body, devices=devices)


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


def _message(item: _Ready, device: Device, now: datetime) -> PushMessage:
    row = item.row
    ttl = None
    if row.expires_at is not None:
        ttl = max(0, int((row.expires_at - now).total_seconds()))
    return PushMessage(
        token=device.token,
        platform=device.platform,
        title=row.title,
        body=item.body,
        data=dict(row.data),
        collapse_key=row.kind.value.lower(),
        ttl_seconds=ttl,
    )


async def _record(
    deps: Deps, tenant: Tenant, sender: PushSender, item: _Ready, now: datetime, sent: list[str]
) -> None:
    """Writes the row's outcome; plain SENT rows are only collected into `sent`. When some
    devices got the push and others hit a retryable error, only those others are retried."""
    row, results = item.row, item.results
    pairs = list(zip(item.devices, results, strict=True))
    dead = [
        device.token
        for device, result in pairs
        if result.error in (PushError.UNREGISTERED, PushError.INVALID_ARGUMENT)
    ]
    await deps.devices.forget(tenant.slug, dead)
    delivered = row.delivered + sum(1 for result in results if result.ok)
    owed = tuple(device.token for device, result in pairs if result.error is PushError.RETRY)
    if owed and row.attempts + 1 < MAX_ATTEMPTS:
        wait = max((r.retry_after or 0.0) for r in results if r.error is PushError.RETRY)
        delay = backoff(row.attempts + 1, wait)
        partial = delivered > 0
        await deps.outbox.postpone(
            row,
            now + timedelta(seconds=delay),
            attempts=row.attempts + 1,
            reason="RETRY_PARTIAL" if partial else "RETRY",
            retry_tokens=owed if partial else None,
            delivered=delivered if partial else None,
        )
        return
    if delivered > 0:
        if item.body == row.body:
            sent.append(row.id)
        else:
            await deps.outbox.finish(
                row, NotificationStatus.SENT, at=now, sender=sender.name, body=item.body
            )
        return
    if len(dead) == len(results):
        await deps.outbox.finish(
            row, NotificationStatus.SKIPPED, at=now, reason=SkipReason.NO_DEVICE
        )
        return
    detail = next((r.detail for r in results if r.detail), None) or "SEND_FAILED"
    await deps.outbox.finish(row, NotificationStatus.FAILED, at=now, reason=detail[:200])
