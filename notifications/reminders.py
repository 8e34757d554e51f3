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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from loyalty.lots import WalletState, expiring_of
from loyalty.notification_ports import ExpiringWallet
from loyalty.notifications import Notification, NotificationKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.outbox import row_for
from notifications.pipeline import pipelined
from notifications.templates import Renderer, local_date

BATCH = 1000  # rows per unordered insert
PAGES_AHEAD = 2  # cursor batches read while rows are built
WRITES_IN_FLIGHT = 2  # bulk inserts sent before the first of them is awaited


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
        pages=PAGES_AHEAD,
        writes=WRITES_IN_FLIGHT,
    )


class _Rows:
    """The rows of one run. What the rows of one (locale, expiry moment, points) share is
    worked out once: the texts (rendered by the renderer), the date key and the push data; a
    row then only adds its member and threshold. At most MAX_SHARED are kept, so memory stays
    flat in the member count."""

    MAX_SHARED = Renderer.MAX_CACHED

    def __init__(self, tenant: Tenant, windows: list[Window], now: datetime) -> None:
        self._tenant = tenant
        self._windows = windows
        self._now = now
        self._renderer = Renderer(tenant.program)
        self._shared: dict[tuple[str, datetime, int], _Shared] = {}
        self._span = (min(w.start for w in windows), max(w.end for w in windows))

    def of(self, member: ExpiringWallet) -> list[Notification]:
        """One row per (expiry date, threshold) of this wallet's lots in the windows."""
        rows = []
        for window, expires_at, points in _due(member, self._windows, self._span):
            shared = self._shared_by(member.locale, expires_at, points)
            rows.append(
                Notification(
                    tenant=self._tenant.slug,
                    member_id=member.id,
                    kind=_KIND,
                    dedupe_key=f"expiry:{member.id}:{shared.date}:{window.days}",
                    locale=member.locale,
                    title=shared.title,
                    body=shared.body,
                    created_at=self._now,
                    not_before=self._now,
                    data=shared.data,
                    expires_at=expires_at,
                )
            )
        return rows

    def _shared_by(self, locale: str, moment: datetime, points: int) -> _Shared:
        key = (locale, moment, points)
        shared = self._shared.get(key)
        if shared is None:
            # row_for: the one place an outbox row's texts and data are put together
            row = row_for(
                self._now,
                self._tenant,
                _Reader(locale),
                _KIND,
                "",
                self._renderer.render(_KIND, locale, {"points": points, "date": moment}),
                data={"expiresAt": moment.isoformat(), "points": str(points)},
            )
            date = local_date(moment, self._tenant.program)
            shared = _Shared(date, row.title, row.body, MappingProxyType(dict(row.data)))
            if len(self._shared) < self.MAX_SHARED:
                self._shared[key] = shared
        return shared


_KIND = NotificationKind.POINTS_EXPIRING


@dataclass(frozen=True)
class _Shared:
    date: str  # the expiry's calendar date in the program's zone (dedupe keys)
    title: str
    body: str
    data: Mapping[str, str]  # read-only: every row of this (locale, moment, points) holds it


@dataclass(frozen=True)
class _Reader:
    """Whom texts are rendered for: only the language matters."""

    locale: str
    id: str = ""


def _due(
    member: ExpiringWallet, windows: list[Window], span: tuple[datetime, datetime]
) -> list[tuple[Window, datetime, int]]:
    """The points expiring in each window, by expiry moment (`span`: from the first window's
    start to the last one's end)."""
    if member.holds:  # parts of holds return by a moment: each window asks as of its start
        return [
            (window, moment, points)
            for window in windows
            for moment, points in expiring_of(member.lots, member.holds, window.start, window.end)
        ]
    # Without holds one pass over the lots serves every window (they do not overlap).
    due = []
    for moment, points in expiring_of(member.lots, (), *span):
        for window in windows:
            if window.start < moment <= window.end:
                due.append((window, moment, points))
                break
    return due


def points_expiring_at(state: WalletState, moment: datetime, now: datetime) -> int:
    """What is still left to expire at `moment` (re-checked when the push is sent: points
    redeemed or refunded since the reminder was queued are not announced)."""
    if moment <= now:
        return 0
    return sum(
        lot.remaining for lot in state.lots if lot.expires_at == moment and lot.remaining > 0
    )
