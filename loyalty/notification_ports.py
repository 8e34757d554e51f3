"""What push notifications need from storage; mongo/ implements these."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from loyalty.devices import Device, NotificationPrefs
from loyalty.lots import Hold
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
class Postponement:
    """A claimed row put back to PENDING until `until` (see Outbox.postpone)."""

    row_id: str
    until: datetime
    attempts: int
    reason: str | None
    retry_tokens: tuple[str, ...] | None = None
    delivered: int | None = None


@dataclass(frozen=True)
class CampaignCounts:
    """A campaign's rows in the outbox by status, and skips and failures by reason."""

    pending: int = 0  # waiting: queued, deferred by quiet hours or a retry, or being sent
    sent: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    # The first and last row finished (sent, skipped or failed): the pace so far.
    first_finished_at: datetime | None = None
    last_finished_at: datetime | None = None


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

    async def claim_rows(
        self, rows: list[Notification], now: datetime, hold_until: datetime
    ) -> list[Notification]:
        """These rows (one tenant's, as written), claimed as `claim_due` claims, where they are
        still PENDING and due: those another drain took are left out."""
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

    # Batches: one round trip for many rows (the campaign and drain paths at scale).
    async def enqueue_many(self, notifications: list[Notification]) -> list[Notification]:
        """Writes those whose dedupe key is new, in one unordered insert, and returns them."""
        ...

    async def dispatching(
        self,
        tenant: str,
        claim: str,
        ids: list[str],
        until: datetime,
        waiting: list[str] | None = None,
    ) -> set[str]:
        """Marks the rows `ids` handed to the sender now (see Notification.dispatched) and
        renews their hold and that of the claim's rows still `waiting` for a later wave;
        returns the ids of `ids` the claim still held (only those may be sent)."""
        ...

    async def finish_many(
        self,
        tenant: str,
        claim: str,
        ids: list[str],
        status: NotificationStatus,
        *,
        at: datetime,
        reason: str | None = None,
        sender: str | None = None,
    ) -> None: ...

    async def postpone_many(self, tenant: str, claim: str, later: list[Postponement]) -> None: ...

    async def take_daily_slots(
        self, tenant: str, claim: str, wanted: dict[tuple[str, str], int], cap: int
    ) -> dict[tuple[str, str], int]:
        """For each (member, local day), up to the wanted number of marketing slots under
        `cap`, atomically per member and day, for the whole batch in a few round trips.
        Returns how many each got."""
        ...

    async def campaign_counts(self, tenant: str, campaign_id: str) -> CampaignCounts: ...


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
    # Set when the fan-out starts: the audience counted then, for the progress estimate.
    started_at: datetime | None = None
    audience: int | None = None
    finished_at: datetime | None = None  # when the last member was queued


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

    async def get(self, tenant: str, campaign_id: str) -> Campaign | None: ...
    async def start(self, campaign: Campaign, at: datetime, audience: int) -> Campaign:
        """Records when the fan-out began and the audience's size (the first start wins)."""
        ...

    async def advance(
        self,
        campaign: Campaign,
        cursor: str | None,
        written: int,
        done: bool,
        at: datetime | None = None,
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


@dataclass(frozen=True)
class ExpiringWallet:
    """What the reminder job reads of a member: who, in which language, and of the wallet only
    its lots' (expiry, remaining points) and its holds (parts of expired holds are back)."""

    id: str
    locale: str
    lots: tuple[tuple[datetime | None, int], ...]
    holds: tuple[Hold, ...] = ()


@dataclass(frozen=True)
class AudienceMember:
    """What a campaign reads of a member while queueing: who, and in which language."""

    id: str
    locale: str


class Audiences(Protocol):
    """Members found through indexes. Time-window scans stream (their job re-runs a window
    until it finished, and dedupe keys make that harmless); audiences page by `_id`."""

    def expiring_within(
        self, tenant: str, windows: Sequence[tuple[datetime, datetime]]
    ) -> AsyncIterator[ExpiringWallet]:
        """Wallets with some points expiring in one of the windows (start, end], from one
        cursor: each wallet once, however many windows it falls in."""
        ...

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

    def stream_audience(
        self, tenant: str, segment: str | None, tier_id: str | None, after_id: str | None
    ) -> AsyncIterator[AudienceMember]:
        """The whole audience after `after_id`, in _id order, from one cursor (one scan of the
        index, however large the audience); only who and their language."""
        ...

    async def still_in_audience(
        self, tenant: str, segment: str | None, tier_id: str | None, member_ids: list[str]
    ) -> set[str]:
        """Which of `member_ids` are in the audience now (one query, ids only)."""
        ...

    async def audience_size(self, tenant: str, segment: str | None, tier_id: str | None) -> int: ...
