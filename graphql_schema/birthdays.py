"""The program's birthday gift on Program and UpdateProgramInput."""

from __future__ import annotations

import strawberry

from graphql_schema.node import global_id, optional_key
from loyalty.birthdays import BirthdayReward as DomainGift


@strawberry.type(description="Paid once a year on the member's birthday (program time zone).")
class BirthdayReward:
    points: int | None
    reward_id: strawberry.ID | None = strawberry.field(
        description="A free coupon of this catalogue reward (instead of points)."
    )


def birthday_reward_of(gift: DomainGift | None, tenant: str) -> BirthdayReward | None:
    if gift is None:
        return None
    reward = gift.reward_id
    return BirthdayReward(
        points=gift.points,
        reward_id=None if reward is None else global_id("Reward", tenant, reward),
    )


@strawberry.input(description="Exactly one of points (1..100000000) and rewardId.")
class BirthdayRewardInput:
    points: int | None = None
    reward_id: strawberry.ID | None = None

    def to_domain(self, tenant: str) -> DomainGift:
        reward = optional_key(self.reward_id, "Reward", tenant)
        return DomainGift(points=self.points, reward_id=reward)
