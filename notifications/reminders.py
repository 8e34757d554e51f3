"""Expiring-points reminders: each expiry date of a member is reminded once per threshold.

For every threshold (program `reminder_days`, default 30, 7 and 1) the job looks at the lots
that entered the threshold's window since its last run, (last run + d, now + d], found through
the multikey index on the wallets' expiry dates, every threshold's window from one cursor: the
work follows what is due, not the number of members. The points of one expiry date are summed;
texts come from a renderer that renders each (kind, locale, points, date) once, and rows go to
the outbox in unordered bulk inserts. The dedupe key (member, date, threshold) makes a re-run,
a restart or a second worker harmless. On a first run (or a lot that appears inside several
windows at once) only the nearest threshold reminds, so nobody gets the 30-day and the 7-day
push together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.lots import WalletState, expiring_of
from loyalty.notification_ports import ExpiringWallet
from loyalty.notifications import Notification, NotificationKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.outbox import row_for
from notifications.pipeline import pipelined
from notifications.templates import Renderer, local_date

BATCH = 1000  # rows per unordered insert


@dataclass(frozen=True)
class Window:
    """The lots whose expiry entered threshold `days` since its last run: (start, end]."""

    days: int
    start: datetime
    end: datetime


def job_name(days: int) -> str:
    return f"expiry-reminders:{days}"


async def queue_expiry_reminders(deps: Deps, tenant: Tenant) -> int:
    program = tenant.program
    thresholds = sorted({d for d in program.reminder_days if d > 0})
    if program.expiry_months is None or not thresholds:
        return 0
    now = deps.clock.now()
    windows = []
    for position, days in enumerate(thresholds):
        nearer = thresholds[position - 1] if position else 0
        last = await deps.cursors.get(tenant.slug, job_name(days))
        end = now + timedelta(days=days)
        start = now + timedelta(days=nearer)
        if last is not None:
            start = max(start, last + timedelta(days=days))
        if start < end:
            windows.append(Window(days, start, end))
    queued = await _queue(deps, tenant, windows, now) if windows else 0
    # Only after every window: a crash mid-run re-runs them (dedupe keys absorb it).
    for days in thresholds:
        await deps.cursors.set(tenant.slug, job_name(days), now)
    return queued


async def _queue(deps: Deps, tenant: Tenant, windows: list[Window], now: datetime) -> int:
    """Streams the wallets of every window from one cursor and writes their rows a batch at a
    time: the next wallets are read and earlier batches written while rows are built."""
    make = _Rows(tenant, windows, now)
    ranges = [(window.start, window.end) for window in windows]
    return await pipelined(
        deps.audiences.expiring_within(tenant.slug, ranges),
        make.of,
        deps.outbox.enqueue_many,
        batch=BATCH,
    )


class _Rows:
    """The rows of one run: texts rendered once per (locale, points, date) by the renderer,
    each expiry moment's date keys worked out once."""

    def __init__(self, tenant: Tenant, windows: list[Window], now: datetime) -> None:
        self._tenant = tenant
        self._windows = windows
        self._now = now
        self._renderer = Renderer(tenant.program)
        self._moments: dict[datetime, tuple[str, str]] = {}

    def of(self, member: ExpiringWallet) -> list[Notification]:
        """One row per (expiry date, threshold) of this wallet's lots in the windows."""
        kind = NotificationKind.POINTS_EXPIRING
        rows = []
        for window, expires_at, points in _due(member, self._windows):
            date, iso = self._keys(expires_at)
            params = {"points": points, "date": expires_at}
            rows.append(
                row_for(
                    self._now,
                    self._tenant,
                    member,
                    kind,
                    f"expiry:{member.id}:{date}:{window.days}",
                    self._renderer.render(kind, member.locale, params),
                    data={"expiresAt": iso, "points": str(points)},
                    expires_at=expires_at,
                )
            )
        return rows

    def _keys(self, moment: datetime) -> tuple[str, str]:
        keys = self._moments.get(moment)
        if keys is None:
            keys = (local_date(moment, self._tenant.program), moment.isoformat())
            if len(self._moments) < Renderer.MAX_CACHED:  # memory flat in the member count
                self._moments[moment] = keys
        return keys


def _due(member: ExpiringWallet, windows: list[Window]) -> list[tuple[Window, datetime, int]]:
    """The points expiring in each window, by expiry moment."""
    if member.holds:  # parts of holds return by a moment: each window asks as of its start
        return [
            (window, moment, points)
            for window in windows
            for moment, points in expiring_of(member.lots, member.holds, window.start, window.end)
        ]
    # Without holds one pass over the lots serves every window (they do not overlap).
    start, end = min(w.start for w in windows), max(w.end for w in windows)
    return [
        (window, moment, points)
        for moment, points in expiring_of(member.lots, (), start, end)
        for window in windows
        if window.start < moment <= window.end
    ]


def points_expiring_at(state: WalletState, moment: datetime, now: datetime) -> int:
    """What is still left to expire at `moment` (re-checked when the push is sent: points
    redeemed or refunded since the reminder was queued are not announced)."""
    if moment <= now:
        return 0
    return sum(
        lot.remaining for lot in state.lots if lot.expires_at == moment and lot.remaining > 0
    )
