"""Devices, preferences, the notification log and campaigns as the API shows them."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import strawberry

from graphql_schema.common import LocalizedTextInput, PageInfo
from graphql_schema.errors import UserError
from graphql_schema.node import global_id
from graphql_schema.tiers import Segment
from loyalty import devices as domain
from loyalty import notifications as outbox
from loyalty.campaign_progress import CampaignProgress as DomainProgress
from loyalty.errors import DomainError, ErrorCode
from loyalty.notification_ports import Campaign as DomainCampaign

strawberry.enum(domain.DevicePlatform, name="DevicePlatform")
DevicePlatform = domain.DevicePlatform
strawberry.enum(domain.Category, name="NotificationCategory")
NotificationCategory = domain.Category
strawberry.enum(outbox.NotificationKind, name="NotificationKind")
NotificationKind = outbox.NotificationKind
strawberry.enum(outbox.NotificationStatus, name="NotificationStatus")
NotificationStatus = outbox.NotificationStatus


@strawberry.input
class RegisterDeviceInput:
    token: str
    platform: DevicePlatform
    locale: str | None = None
    timezone: str | None = strawberry.field(
        default=None, description="IANA name (Asia/Riyadh): quiet hours follow it."
    )
    replaces_token: str | None = strawberry.field(
        default=None, description="The token this one refreshes; it is removed."
    )


@strawberry.type
class Device:
    token: str
    platform: DevicePlatform
    locale: str | None
    timezone: str | None
    registered_at: datetime

    @classmethod
    def of(cls, device: domain.Device) -> Device:
        return cls(
            token=device.token,
            platform=device.platform,
            locale=device.locale,
            timezone=device.timezone,
            registered_at=device.registered_at,
        )


@strawberry.type
class RegisterDevicePayload:
    device: Device | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UnregisterDevicePayload:
    removed: bool | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class NotificationPreferences:
    opted_out: list[NotificationCategory]
    quiet_hours_start: int | None = strawberry.field(description="Minute of the local day.")
    quiet_hours_end: int | None

    @classmethod
    def of(cls, prefs: domain.NotificationPrefs) -> NotificationPreferences:
        return cls(
            opted_out=sorted(prefs.opted_out),
            quiet_hours_start=prefs.quiet_start,
            quiet_hours_end=prefs.quiet_end,
        )


@strawberry.input
class UpdateNotificationPreferencesInput:
    opted_out: strawberry.Maybe[list[NotificationCategory]] = None
    quiet_hours_start: strawberry.Maybe[int | None] = None
    quiet_hours_end: strawberry.Maybe[int | None] = None


@strawberry.type
class UpdateNotificationPreferencesPayload:
    preferences: NotificationPreferences | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Notification:
    id: strawberry.ID
    member_external_id: strawberry.ID | None
    kind: NotificationKind
    status: NotificationStatus
    reason: str | None
    locale: str
    title: str
    body: str
    deep_link: str | None
    created_at: datetime
    sent_at: datetime | None
    sender: str | None
    attempts: int


@strawberry.type
class NotificationEdge:
    cursor: str
    node: Notification


@strawberry.type
class NotificationConnection:
    edges: list[NotificationEdge]
    page_info: PageInfo


def log_cursor(row: outbox.Notification) -> str:
    millis = int(row.created_at.timestamp() * 1000)
    return base64.urlsafe_b64encode(f"n:{millis}:{row.id}".encode()).decode()


def read_log_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    try:
        kind, millis, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 2)
        if kind == "n":
            return datetime.fromtimestamp(int(millis) / 1000, tz=UTC), row_id
    except (ValueError, UnicodeDecodeError):
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")


@strawberry.input
class CreateCampaignInput:
    name: str
    title: LocalizedTextInput
    body: LocalizedTextInput
    segment: Segment | None = None
    tier_id: strawberry.ID | None = None
    send_at: datetime | None = None


@strawberry.type(description="Rows of a campaign that ended (or were put off) for one reason.")
class ReasonCount:
    reason: str
    count: int


@strawberry.type(
    description="How far a campaign has got, read from its pushes; changes while it runs."
)
class CampaignProgress:
    queued: int = strawberry.field(description="Members queued so far.")
    pending: int = strawberry.field(
        description="Queued pushes not decided yet (waiting, deferred or being sent)."
    )
    sent: int
    skipped: int
    skipped_reasons: list[ReasonCount] = strawberry.field(
        description="OPTED_OUT, NO_DEVICE, DAILY_CAP, LEFT_AUDIENCE, ..."
    )
    failed: int
    failed_reasons: list[ReasonCount]
    per_second: float | None = strawberry.field(
        description="Pushes decided (sent, skipped or failed) per second so far."
    )
    estimated_finish_at: datetime | None = strawberry.field(
        description="While it runs, when it should be done at this pace; once done, when it was."
    )

    @classmethod
    def of(cls, p: DomainProgress) -> CampaignProgress:
        return cls(
            queued=p.queued,
            pending=p.pending,
            sent=p.sent,
            skipped=p.skipped_total,
            skipped_reasons=[ReasonCount(reason=r, count=n) for r, n in p.skipped.items()],
            failed=p.failed_total,
            failed_reasons=[ReasonCount(reason=r, count=n) for r, n in p.failed.items()],
            per_second=None if p.per_second is None else round(p.per_second, 1),
            estimated_finish_at=p.estimated_finish,
        )


@strawberry.type
class Campaign:
    id: strawberry.ID
    name: str
    segment: Segment | None
    tier_id: strawberry.ID | None
    send_at: datetime
    status: str
    queued: int
    audience_size: int | None = strawberry.field(
        default=None, description="Members in the audience when sending began."
    )
    started_at: datetime | None = None
    progress: CampaignProgress | None = strawberry.field(
        default=None, description="Filled by campaign(id)."
    )

    @classmethod
    def of(cls, c: DomainCampaign, progress: DomainProgress | None = None) -> Campaign:
        return cls(
            id=strawberry.ID(c.id),
            name=c.name,
            segment=Segment(c.segment) if c.segment else None,
            tier_id=global_id("Tier", c.tenant, c.tier_id) if c.tier_id else None,
            send_at=c.send_at,
            status=c.status,
            queued=c.queued,
            audience_size=c.audience,
            started_at=c.started_at,
            progress=CampaignProgress.of(progress) if progress else None,
        )


@strawberry.type
class CreateCampaignPayload:
    campaign: Campaign | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
