"""Reward limits on Reward and upsertReward: per-member limits, stock, the coupon's minimum
order total and the availability window."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.scalars import Decimal
from loyalty.reward_limits import RewardLimits as DomainLimits
from loyalty.usecases.rewards import LimitsInput


@strawberry.type(description="What limits a reward; a null field limits nothing.")
class RewardLimits:
    per_day: int | None = strawberry.field(description="Per member, per day (tenant's zone).")
    per_month: int | None = strawberry.field(description="Per member, per calendar month.")
    per_member: int | None = strawberry.field(description="Per member, ever.")
    stock: int | None = strawberry.field(description="Redemptions the store honours in all.")
    min_order_total: Decimal | None = strawberry.field(
        description="The coupon's smallest order, checked by consumeCoupon."
    )
    available_from: datetime | None
    available_until: datetime | None = strawberry.field(description="Exclusive.")

    @classmethod
    def of(cls, limits: DomainLimits) -> RewardLimits:
        minimum = limits.min_order_total
        return cls(
            per_day=limits.per_day,
            per_month=limits.per_month,
            per_member=limits.per_member,
            stock=limits.stock,
            min_order_total=None if minimum is None else Decimal(format(minimum, "f")),
            available_from=limits.available_from,
            available_until=limits.available_until,
        )


@strawberry.input(
    description=(
        "Counts 1-1000 (stock 0-100000). A DateTime without an offset is a wall-clock time in "
        "the tenant's time zone. Replaces all the reward's limits; absent: none."
    )
)
class RewardLimitsInput:
    per_day: int | None = None
    per_month: int | None = None
    per_member: int | None = None
    stock: int | None = None
    min_order_total: Decimal | None = None
    available_from: datetime | None = None
    available_until: datetime | None = None

    def to_domain(self) -> LimitsInput:
        minimum = self.min_order_total
        return LimitsInput(
            per_day=self.per_day,
            per_month=self.per_month,
            per_member=self.per_member,
            stock=self.stock,
            min_order_total=None if minimum is None else str(minimum),
            available_from=self.available_from,
            available_until=self.available_until,
        )
