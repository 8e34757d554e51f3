"""updateProgram's per-rule pending periods (activities, badge bonuses, referral rewards,
adjustments): 0..365 days each, and like order points always released before they can
expire."""

from __future__ import annotations

from dataclasses import dataclass, replace

from loyalty.errors import DomainError, ErrorCode
from loyalty.program import Program
from loyalty.rule_pending import PendingRule

MAX_DAYS = 365
# As for order points (loyalty/usecases/program.py): the shortest month an expiry can give.
DAYS_PER_EXPIRY_MONTH = 28
INPUT_NAMES = {
    PendingRule.ACTIVITIES: "activities",
    PendingRule.BADGE_BONUSES: "badgeBonuses",
    PendingRule.REFERRAL_REWARDS: "referralRewards",
    PendingRule.ADJUSTMENTS: "adjustments",
}


@dataclass(frozen=True)
class RulePendingChanges:
    """None: unchanged."""

    activities: int | None = None
    badge_bonuses: int | None = None
    referral_rewards: int | None = None
    adjustments: int | None = None

    def get(self, rule: PendingRule) -> int | None:
        value: int | None = getattr(self, rule.value)
        return value


def _field(rule: PendingRule) -> tuple[str, ...]:
    return ("input", "rulePendingDays", INPUT_NAMES[rule])


def apply_rule_pending(program: Program, changes: RulePendingChanges) -> Program:
    """`program` already carries this update's expiry: a shorter expiry that a pending period
    would outlast is refused on expiryMonths, a period too long on its own field."""
    pending = program.rule_pending
    for rule in PendingRule:
        days = changes.get(rule)
        if days is None:
            continue
        if not 0 <= days <= MAX_DAYS:
            raise DomainError(ErrorCode.OUT_OF_RANGE, _field(rule), min=0, max=MAX_DAYS)
        pending = replace(pending, **{rule.value: days})
    months = program.expiry_months
    if months is not None:
        top = DAYS_PER_EXPIRY_MONTH * months - 1
        for rule in PendingRule:
            days = pending.days(rule)
            if days <= top:
                continue
            if changes.get(rule) is not None:
                raise DomainError(ErrorCode.OUT_OF_RANGE, _field(rule), min=0, max=top)
            fewest = days // DAYS_PER_EXPIRY_MONTH + 1
            raise DomainError(
                ErrorCode.OUT_OF_RANGE, ("input", "expiryMonths"), min=fewest, max=120
            )
    return replace(program, rule_pending=pending)
