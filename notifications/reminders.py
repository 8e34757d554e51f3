"""Expiring-points reminders: each expiry date of a member is reminded once per threshold.

For every threshold (program `reminder_days`, default 30, 7 and 1) the job looks at the lots
that entered the threshold's window since its last run, (last run + d, now + d], found through
the multikey index on the wallets' expiry dates: the work follows what is due, not the number
of members. The points of one expiry date are summed; the dedupe key (member, date, threshold)
makes a re-run, a restart or a second worker harmless. On a first run (or a lot that appears
inside several windows at once) only the nearest threshold reminds, so nobody gets the 30-day
and the 7-day push together."""

from __future__ import annotations

from datetime import datetime, timedelta

from loyalty.lots import WalletState, expiring
from loyalty.notifications import Notification, NotificationKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.outbox import row_for
from notifications.templates import Renderer, local_date

BATCH = 1000  # rows per unordered insert


def job_name(days: int) -> str:
    return f"expiry-reminders:{days}"


async def queue_expiry_reminders(deps: Deps, tenant: Tenant) -> int:
    program = tenant.program
    thresholds = sorted({d for d in program.reminder_days if d > 0})
    if program.expiry_months is None or not thresholds:
        return 0
    now = deps.clock.now()
    queued = 0
    for position, days in enumerate(thresholds):
        nearer = thresholds[position - 1] if position else 0
        last = await deps.cursors.get(tenant.slug, job_name(days))
        end = now + timedelta(days=days)
        start = now + timedelta(days=nearer)
        if last is not None:
            start = max(start, last + timedelta(days=days))
        if start < end:
            queued += await _window(deps, tenant, days, start, end, now)
        # Only after the whole window: a crash mid-window re-runs it (dedupe keys absorb it).
        await deps.cursors.set(tenant.slug, job_name(days), now)
    return queued


async def _window(
    deps: Deps, tenant: Tenant, days: int, start: datetime, end: datetime, now: datetime
) -> int:
    """Streams the window's members and writes their rows a batch at a time."""
    renderer = Renderer(tenant.program)
    kind = NotificationKind.POINTS_EXPIRING
    queued = 0
    rows: list[Notification] = []
    async for member in deps.audiences.expiring_between(tenant.slug, start, end):
        for expires_at, points in expiring(member.wallet, start, end):
            date = local_date(expires_at, tenant.program)
            texts = renderer.render(kind, member.locale, {"points": points, "date": expires_at})
            rows.append(
                row_for(
                    now,
                    tenant,
                    member,
                    kind,
                    f"expiry:{member.id}:{date}:{days}",
                    texts,
                    data={"expiresAt": expires_at.isoformat(), "points": str(points)},
                    expires_at=expires_at,
                )
            )
        if len(rows) >= BATCH:
            queued += len(await deps.outbox.enqueue_many(rows))
            rows = []
    return queued + len(await deps.outbox.enqueue_many(rows))


def points_expiring_at(state: WalletState, moment: datetime, now: datetime) -> int:
    """What is still left to expire at `moment` (re-checked when the push is sent: points
    redeemed or refunded since the reminder was queued are not announced)."""
    if moment <= now:
        return 0
    return sum(
        lot.remaining for lot in state.lots if lot.expires_at == moment and lot.remaining > 0
    )
