"""Per-rule pending periods on Program and UpdateProgramInput."""

from __future__ import annotations

import strawberry

from loyalty.rule_pending import RulePending as DomainRulePending
from loyalty.usecases.rule_pending import RulePendingChanges


@strawberry.type(
    description=(
        "Days points from each kind of rule stay pending before they can be spent (0: at "
        "once). Order points keep Program.pendingDays, their return window."
    )
)
class RulePendingDays:
    activities: int
    badge_bonuses: int
    referral_rewards: int
    adjustments: int = strawberry.field(description="Positive manual adjustments.")

    @classmethod
    def of(cls, pending: DomainRulePending) -> RulePendingDays:
        return cls(
            activities=pending.activities,
            badge_bonuses=pending.badge_bonuses,
            referral_rewards=pending.referral_rewards,
            adjustments=pending.adjustments,
        )


@strawberry.input(description="0..365 days each; an absent or null field is left unchanged.")
class RulePendingDaysInput:
    activities: int | None = None
    badge_bonuses: int | None = None
    referral_rewards: int | None = None
    adjustments: int | None = None

    def to_changes(self) -> RulePendingChanges:
        return RulePendingChanges(
            activities=self.activities,
            badge_bonuses=self.badge_bonuses,
            referral_rewards=self.referral_rewards,
            adjustments=self.adjustments,
        )
