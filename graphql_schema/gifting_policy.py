"""The program's gifting settings: on Program, and in updateProgram's input."""

from __future__ import annotations

import strawberry

from loyalty.gifting_policy import GiftingPolicy as DomainPolicy


@strawberry.type(description="Members sending each other points: off unless turned on.")
class GiftingPolicy:
    transfers_enabled: bool
    daily_cap: int | None = strawberry.field(
        description="Most points one member may send per local day; null: no cap."
    )
    min_account_days: int = strawberry.field(
        description="Days a member must have been enrolled before sending."
    )

    @staticmethod
    def of(policy: DomainPolicy) -> GiftingPolicy:
        return GiftingPolicy(
            transfers_enabled=policy.transfers_enabled,
            daily_cap=policy.daily_cap,
            min_account_days=policy.min_account_days,
        )


@strawberry.input
class GiftingPolicyInput:
    transfers_enabled: bool
    daily_cap: int | None = None
    min_account_days: int = 0

    def to_domain(self) -> DomainPolicy:
        return DomainPolicy(self.transfers_enabled, self.daily_cap, self.min_account_days)
