"""Per-rule pending periods: how long points from each kind of rule wait before they can be
spent, as LoyaltyLion's per-rule approval. Order points keep the program-wide `pending_days`
(their return window); the others default to 0 (spendable at once, as before)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PendingRule(StrEnum):
    ACTIVITIES = "activities"
    BADGE_BONUSES = "badge_bonuses"
    REFERRAL_REWARDS = "referral_rewards"
    ADJUSTMENTS = "adjustments"


@dataclass(frozen=True)
class RulePending:
    activities: int = 0
    badge_bonuses: int = 0
    referral_rewards: int = 0
    adjustments: int = 0

    def days(self, rule: PendingRule) -> int:
        value: int = getattr(self, rule.value)
        return value
