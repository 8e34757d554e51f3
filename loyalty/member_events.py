"""Things that happened to a member that other parts react to (notifications, badges).

Producers record an event once (its key deduplicates: recording it again is a no-op); each
consumer reads the events it has not handled yet and marks them handled, so a crashed or
restarted consumer picks up where it left off and never handles an event twice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class MemberEventKind(StrEnum):
    TIER_UPGRADED = "TIER_UPGRADED"
    TIER_DOWNGRADED = "TIER_DOWNGRADED"
    VIP_TRIAL_STARTED = "VIP_TRIAL_STARTED"
    VIP_TRIAL_ENDING_SOON = "VIP_TRIAL_ENDING_SOON"
    VIP_TRIAL_ENDED = "VIP_TRIAL_ENDED"
    VIP_TRIAL_CONVERTED = "VIP_TRIAL_CONVERTED"
    BADGE_EARNED = "BADGE_EARNED"
    REFERRAL_REWARDED = "REFERRAL_REWARDED"
    REWARD_AFFORDABLE = "REWARD_AFFORDABLE"
    # Recorded for outbound webhooks (loyalty/usecases/outbound_events.py), only while the
    # tenant has an endpoint subscribed to them.
    MEMBER_ENROLLED = "MEMBER_ENROLLED"
    POINTS_EARNED = "POINTS_EARNED"
    POINTS_REDEEMED = "POINTS_REDEEMED"
    POINTS_EXPIRED = "POINTS_EXPIRED"
    POINTS_ADJUSTED = "POINTS_ADJUSTED"
    REWARD_REDEEMED = "REWARD_REDEEMED"
    COUPON_CONSUMED = "COUPON_CONSUMED"
    COUPON_CANCELLED = "COUPON_CANCELLED"


@dataclass(frozen=True)
class MemberEvent:
    tenant: str
    member_id: str
    kind: MemberEventKind
    key: str  # unique per (member, kind): e.g. the tier id and date, the trial id
    occurred_at: datetime
    data: Mapping[str, str | int | None] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.tenant}:{self.member_id}:{self.kind.value}:{self.key}"
