"""The program's gifting settings: whether members may send each other points, and limits."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty.errors import DomainError, ErrorCode

MAX_DAILY_CAP = 10_000_000
MAX_ACCOUNT_DAYS = 3650


@dataclass(frozen=True)
class GiftingPolicy:
    """Transfers between members: off unless the merchant turns them on. `daily_cap`: the most
    points one member may send per local day (None: no cap); `min_account_days`: how long a
    member must have been enrolled before sending (new accounts are where abuse starts)."""

    transfers_enabled: bool = False
    daily_cap: int | None = None
    min_account_days: int = 0


def check_gifting_policy(policy: GiftingPolicy) -> GiftingPolicy:
    field = ("input", "gifting")
    if policy.daily_cap is not None and not 1 <= policy.daily_cap <= MAX_DAILY_CAP:
        raise DomainError(ErrorCode.OUT_OF_RANGE, (*field, "dailyCap"), min=1, max=MAX_DAILY_CAP)
    if not 0 <= policy.min_account_days <= MAX_ACCOUNT_DAYS:
        raise DomainError(
            ErrorCode.OUT_OF_RANGE, (*field, "minAccountDays"), min=0, max=MAX_ACCOUNT_DAYS
        )
    return policy
