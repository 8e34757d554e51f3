"""The program's checkout-with-points settings, as read and as updated."""

from __future__ import annotations

import strawberry

from loyalty.checkout import CheckoutPolicy


@strawberry.type
class CheckoutSettings:
    min_points: int = strawberry.field(description="The fewest points one order may use.")
    step: int = strawberry.field(description="Points are used in multiples of this.")
    max_cart_percent: int = strawberry.field(
        description="The most of a cart's total points may pay, in percent."
    )
    hold_minutes: int = strawberry.field(
        description="How long reserved points wait for their order before they come back."
    )

    @classmethod
    def of(cls, policy: CheckoutPolicy) -> CheckoutSettings:
        return cls(
            min_points=policy.min_points,
            step=policy.step,
            max_cart_percent=policy.max_cart_percent,
            hold_minutes=policy.hold_minutes,
        )


@strawberry.input
class CheckoutSettingsInput:
    min_points: int = 1
    step: int = 1
    max_cart_percent: int = 100
    hold_minutes: int = 30

    def to_domain(self) -> CheckoutPolicy:
        return CheckoutPolicy(self.min_points, self.step, self.max_cart_percent, self.hold_minutes)
