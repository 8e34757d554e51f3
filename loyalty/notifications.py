"""Push notifications as the domain sees them: the outbox row, the message handed to a
sender, and what a sender reports back.

Every push is first written to the outbox under a dedupe key (unique per tenant), so a job
that runs twice, restarts, or runs on two workers writes it once; a sender then drains the
outbox. Statuses: PENDING (waiting, maybe deferred by quiet hours or a retry), SENDING
(claimed by a drain), SENT, FAILED (retries exhausted) and SKIPPED (with a reason)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from loyalty.devices import Category, DevicePlatform


class NotificationKind(StrEnum):
    POINTS_EXPIRING = "POINTS_EXPIRING"
    TIER_UPGRADED = "TIER_UPGRADED"
    VIP_TRIAL_STARTED = "VIP_TRIAL_STARTED"
    VIP_TRIAL_ENDING_SOON = "VIP_TRIAL_ENDING_SOON"
    VIP_TRIAL_ENDED = "VIP_TRIAL_ENDED"
    WIN_BACK = "WIN_BACK"
    CAMPAIGN = "CAMPAIGN"
    REWARD_AFFORDABLE = "REWARD_AFFORDABLE"
    BIRTHDAY = "BIRTHDAY"


CATEGORY: Mapping[NotificationKind, Category] = {
    NotificationKind.POINTS_EXPIRING: Category.POINTS_EXPIRY,
    NotificationKind.TIER_UPGRADED: Category.TIER,
    NotificationKind.VIP_TRIAL_STARTED: Category.TRIAL,
    NotificationKind.VIP_TRIAL_ENDING_SOON: Category.TRIAL,
    NotificationKind.VIP_TRIAL_ENDED: Category.TRIAL,
    NotificationKind.WIN_BACK: Category.MARKETING,
    NotificationKind.CAMPAIGN: Category.MARKETING,
    # An offer to spend, not news about the account: the marketing opt-out and cap apply.
    NotificationKind.REWARD_AFFORDABLE: Category.MARKETING,
    # Greetings with a gift already given: no account change waits on it.
    NotificationKind.BIRTHDAY: Category.MARKETING,
}


class NotificationStatus(StrEnum):
    PENDING = "PENDING"
    SENDING = "SENDING"
    SENT = "SENT"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class SkipReason(StrEnum):
    OPTED_OUT = "OPTED_OUT"
    NO_DEVICE = "NO_DEVICE"
    DAILY_CAP = "DAILY_CAP"
    POINTS_GONE = "POINTS_GONE"
    EXPIRED = "EXPIRED"
    REWARD_UNAVAILABLE = "REWARD_UNAVAILABLE"  # inactive, out of reach again, or tier lost
    LEFT_AUDIENCE = "LEFT_AUDIENCE"  # a campaign's member left its segment or tier, or is gone


# The reason on a row SENT by a drain that died before it recorded FCM's answer (see
# Notification.dispatched): counted as sent, and never sent again.
UNCONFIRMED = "UNCONFIRMED"
# The reason on a row put back because FCM asked the whole sender to slow down.
BACK_PRESSURE = "BACK_PRESSURE"


@dataclass(frozen=True)
class Notification:
    tenant: str
    member_id: str
    kind: NotificationKind
    dedupe_key: str
    locale: str
    title: str
    body: str
    created_at: datetime
    not_before: datetime
    data: Mapping[str, str] = field(default_factory=dict)
    # After this moment the push is pointless (e.g. the points it announces have expired).
    expires_at: datetime | None = None
    status: NotificationStatus = NotificationStatus.PENDING
    reason: str | None = None
    attempts: int = 0
    sender: str | None = None
    sent_at: datetime | None = None
    # After a partial delivery: the devices still owed this push (None: all of the member's
    # devices) and how many devices already got it, so a retry never repeats a delivered push.
    retry_tokens: tuple[str, ...] | None = None
    delivered: int = 0
    # The drain holding this row (set by the claim); every result it writes is tied to it, so a
    # drain whose hold lapsed and whose rows another drain took writes nothing.
    claim: str | None = None
    # Handed to the sender by a drain that has not recorded the answer: if that drain died,
    # FCM may have the push already, so it is never handed over a second time.
    dispatched: bool = False

    @property
    def id(self) -> str:
        return f"{self.tenant}:{self.dedupe_key}"

    @property
    def campaign_id(self) -> str | None:
        return self.data.get("campaignId") if self.kind is NotificationKind.CAMPAIGN else None

    @property
    def category(self) -> Category:
        return CATEGORY[self.kind]


@dataclass(frozen=True)
class PushMessage:
    """One push to one device."""

    token: str
    platform: DevicePlatform
    title: str
    body: str
    data: Mapping[str, str]
    collapse_key: str
    ttl_seconds: int | None


class PushError(StrEnum):
    UNREGISTERED = "UNREGISTERED"  # the token is dead: forget it
    INVALID_ARGUMENT = "INVALID_ARGUMENT"  # the token (or message) is rejected: forget it
    RETRY = "RETRY"  # QUOTA_EXCEEDED / UNAVAILABLE / INTERNAL: try again later
    OTHER = "OTHER"  # anything else: give up on this message


@dataclass(frozen=True)
class PushResult:
    error: PushError | None = None
    retry_after: float | None = None  # seconds the service asked us to wait
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class PushSender(Protocol):
    name: str  # recorded on each SENT row ("fcm", "log")
    batch_size: int  # most messages one `send` call takes

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """One result per message, in order."""
        ...
