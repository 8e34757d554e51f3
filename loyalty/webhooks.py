"""Outbound webhooks to the merchant's systems: endpoints, deliveries and their retry rules.

A delivery is one event for one endpoint (its id is derived from both, so it is written once).
It is tried until the endpoint answers 2xx, with exponential backoff and jitter, for RETRY_FOR
after its first attempt; then it FAILED. An endpoint that has answered nothing but failures for
RETRY_FOR is disabled, with the reason shown to the merchant."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from loyalty.member_events import MemberEventKind

RETRY_FOR = timedelta(days=3)
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)
# On top of a batch's sends: its own reads and writes, and a busy event loop.
CLAIM_SLACK = timedelta(minutes=1)


class WebhookEvent(StrEnum):
    MEMBER_ENROLLED = "MEMBER_ENROLLED"
    POINTS_EARNED = "POINTS_EARNED"
    POINTS_REDEEMED = "POINTS_REDEEMED"
    POINTS_EXPIRED = "POINTS_EXPIRED"
    POINTS_ADJUSTED = "POINTS_ADJUSTED"
    REWARD_REDEEMED = "REWARD_REDEEMED"
    COUPON_CONSUMED = "COUPON_CONSUMED"
    COUPON_CANCELLED = "COUPON_CANCELLED"
    TIER_CHANGED = "TIER_CHANGED"
    VIP_TRIAL_STARTED = "VIP_TRIAL_STARTED"
    VIP_TRIAL_ENDED = "VIP_TRIAL_ENDED"


# Which member events each webhook event is made of.
SOURCES: dict[MemberEventKind, WebhookEvent] = {
    MemberEventKind.MEMBER_ENROLLED: WebhookEvent.MEMBER_ENROLLED,
    MemberEventKind.POINTS_EARNED: WebhookEvent.POINTS_EARNED,
    MemberEventKind.POINTS_REDEEMED: WebhookEvent.POINTS_REDEEMED,
    MemberEventKind.POINTS_EXPIRED: WebhookEvent.POINTS_EXPIRED,
    MemberEventKind.POINTS_ADJUSTED: WebhookEvent.POINTS_ADJUSTED,
    MemberEventKind.REWARD_REDEEMED: WebhookEvent.REWARD_REDEEMED,
    MemberEventKind.COUPON_CONSUMED: WebhookEvent.COUPON_CONSUMED,
    MemberEventKind.COUPON_CANCELLED: WebhookEvent.COUPON_CANCELLED,
    MemberEventKind.TIER_UPGRADED: WebhookEvent.TIER_CHANGED,
    MemberEventKind.TIER_DOWNGRADED: WebhookEvent.TIER_CHANGED,
    MemberEventKind.VIP_TRIAL_STARTED: WebhookEvent.VIP_TRIAL_STARTED,
    MemberEventKind.VIP_TRIAL_ENDED: WebhookEvent.VIP_TRIAL_ENDED,
}


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # waiting for its next attempt
    SENDING = "SENDING"  # claimed by a sender
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # retried for RETRY_FOR without success, or its endpoint is disabled


@dataclass(frozen=True)
class WebhookEndpoint:
    id: str
    tenant: str
    url: str
    events: frozenset[WebhookEvent]
    active: bool
    created_at: datetime
    updated_at: datetime
    secret: str = ""  # Standard Webhooks `whsec_...`; stored encrypted, shown once
    failing_since: datetime | None = None
    disabled_at: datetime | None = None
    disabled_reason: str | None = None

    def wants(self, event: WebhookEvent) -> bool:
        return self.active and self.disabled_at is None and event in self.events


@dataclass(frozen=True)
class WebhookDelivery:
    id: str
    tenant: str
    endpoint_id: str
    event_id: str  # the Standard Webhooks message id: the same for every retry
    event: WebhookEvent
    body: str  # the JSON sent, fixed when the delivery is written
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    first_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    claim: str | None = None


def event_id(member_event_id: str) -> str:
    """Opaque and stable: receivers deduplicate on it; internal ids stay inside."""
    return "evt_" + hashlib.sha256(member_event_id.encode()).hexdigest()[:32]


def delivery_id(endpoint_id: str, event: str) -> str:
    return "whd_" + hashlib.sha256(f"{endpoint_id}|{event}".encode()).hexdigest()[:24]


def next_attempt(
    attempts: int, first_at: datetime, now: datetime, rng: random.Random | None = None
) -> datetime | None:
    """When to try again after `attempts` failed attempts (full jitter over an exponential
    ceiling); None when that would be past RETRY_FOR after the first attempt: give up."""
    ceiling = min(MAX_DELAY, BASE_DELAY * 2 ** max(attempts - 1, 0))
    delay: timedelta = ceiling * (rng or random).uniform(0.5, 1.0)
    at: datetime = now + delay
    if at > first_at + RETRY_FOR:
        return None
    return at


def claim_hold(batch: int, per_attempt: timedelta) -> timedelta:
    """How long a sender holds the batch it claimed. Every attempt in it may take the sender's
    whole deadline, so the claim cannot lapse mid-batch (the rest would be sent again by another
    worker); a sender that died gives its batch back after this long."""
    return batch * per_attempt + CLAIM_SLACK


def should_disable(endpoint: WebhookEndpoint, now: datetime) -> bool:
    """Nothing but failures for RETRY_FOR: the merchant must look before more is sent."""
    return endpoint.failing_since is not None and now - endpoint.failing_since >= RETRY_FOR
