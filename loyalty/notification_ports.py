"""What push notifications need from storage; mongo/ implements these."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from loyalty.devices import Device, NotificationPrefs
from loyalty.members import Member
from loyalty.notifications import Notification, NotificationStatus
from loyalty.program import LocalizedText


class DeviceRepository(Protocol):
    async def register(self, device: Device, replaces: str | None) -> Device: ...
    async def unregister(self, tenant: str, member_id: str, token: str) -> bool: ...
    async def for_member(self, tenant: str, member_id: str) -> list[Device]: ...
    async def for_members(self, tenant: str, member_ids: list[str]) -> dict[str, list[Device]]: ...
    async def forget(self, tenant: str, tokens: list[str]) -> None: ...


class PreferenceRepository(Protocol):
    async def get(self, tenant: str, member_id: str) -> NotificationPrefs: ...
    async def get_many(
        self, tenant: str, member_ids: list[str]
    ) -> dict[str, NotificationPrefs]: ...
    async def save(self, tenant: str, member_id: str, prefs: NotificationPrefs) -> None: ...


@dataclass(frozen=True)
class LogPage:
    items: list[Notification]
    has_next: bool


@dataclass(frozen=True)
class Backlog:
    """What the sender has yet to do for a tenant, for operators' dashboards."""

    unfinished: int
    oldest_due_at: datetime | None


class Outbox(Protocol):
    async def enqueue(self, notification: Notification) -> bool:
        """False when a notification with the same dedupe key was already written."""
        ...

    async def claim_due(
        self, tenant: str, now: datetime, hold_until: datetime, limit: int
    ) -> list[Notification]:
        """PENDING rows due by `now` (and SENDING rows whose claim lapsed), claimed for one
        drain until `hold_until`, under a fresh claim id (set on each returned row). Every
        result write below matches a row only while that claim still holds it."""
        ...

    async def backlog(self, tenant: str, now: datetime) -> Backlog:
        """Rows not yet SENT, SKIPPED or FAILED, and the earliest due time among those due."""
        ...

    async def hold(self, tenant: str, claim: str, until: datetime) -> set[str]:
        """Extends the hold of the claim's rows still SENDING to `until`; returns their ids."""
        ...

    async def finish(
        self,
        notification: Notification,
        status: NotificationStatus,
        *,
        at: datetime,
        reason: str | None = None,
        sender: str | None = None,
        body: str | None = None,
    ) -> None: ...

    async def mark_sent(
        self, tenant: str, claim: str, ids: list[str], *, at: datetime, sender: str
    ) -> None: ...

    async def postpone(
        self,
        notification: Notification,
        until: datetime,
        *,
        attempts: int,
        reason: str | None,
        retry_tokens: tuple[str, ...] | None = None,
        delivered: int | None = None,
    ) -> None:
        """`retry_tokens`/`delivered` are written only when given (a partial delivery)."""
        ...

    async def page(
        self, tenant: str, member_id: str | None, after: tuple[datetime, str] | None, limit: int
    ) -> LogPage: ...

    async def take_daily_slot(self, tenant: str, member_id: str, day: str, cap: int) -> bool: ...


@dataclass(frozen=True)
class Campaign:
    tenant: str
    id: str
    name: str
    title: LocalizedText
    body: LocalizedText
    send_at: datetime
    created_at: datetime
    segment: str | None = None
    tier_id: str | None = None
    status: str = "SCHEDULED"  # SCHEDULED -> SENDING -> DONE
    cursor: str | None = None  # the last member id queued, so a restart resumes there
    queued: int = 0


@dataclass(frozen=True)
class CampaignPage:
    items: list[Campaign]
    has_next: bool


class CampaignRepository(Protocol):
    async def insert(self, campaign: Campaign) -> Campaign:
        """Returns the stored campaign (the first one when the id already exists)."""
        ...

    async def due(self, tenant: str, now: datetime, limit: int) -> list[Campaign]: ...
    async def page(
        self, tenant: str, after: tuple[datetime, str] | None, limit: int
    ) -> CampaignPage:
        """Newest first; `after` is the (created_at, id) of the last campaign seen."""
        ...

    async def advance(
        self, campaign: Campaign, cursor: str | None, written: int, done: bool
    ) -> bool:
        """Moves the campaign from where `campaign` says it was to `cursor` (DONE when `done`)
        and counts the `written` rows. False, moving nothing, when another worker moved it
        first: this worker is behind and stops (the rows it wrote are still counted)."""
        ...


class JobCursors(Protocol):
    """How far a scan-by-time job got (per tenant), so each tick only looks at what is new."""

    async def get(self, tenant: str, job: str) -> datetime | None: ...
    async def set(self, tenant: str, job: str, at: datetime) -> None:
        """Never moves the mark back (an older `at` is ignored)."""
        ...


class Audiences(Protocol):
    """Members found through indexes. Time-window scans stream (their job re-runs a window
    until it finished, and dedupe keys make that harmless); audiences page by `_id`."""

    def expiring_between(
        self, tenant: str, start: datetime, end: datetime
    ) -> AsyncIterator[Member]: ...

    def last_ordered_between(
        self, tenant: str, start: datetime, end: datetime
    ) -> AsyncIterator[Member]: ...

    async def by_ids(self, tenant: str, member_ids: list[str]) -> dict[str, Member]: ...

    async def born_on(
        self, tenant: str, month_days: tuple[str, ...], after_id: str | None, limit: int
    ) -> list[Member]: ...

    async def in_audience(
        self,
        tenant: str,
        segment: str | None,
        tier_id: str | None,
        after_id: str | None,
        limit: int,
    ) -> list[Member]: ...
