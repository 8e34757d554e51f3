"""Checking the program's checkout-with-points settings before they are saved."""

from __future__ import annotations

from loyalty.checkout import CheckoutPolicy
from loyalty.errors import DomainError, ErrorCode
from loyalty.wallet import MAX_POINTS_PER_OPERATION

MAX_HOLD_MINUTES = 7 * 24 * 60


def _range(value: int, low: int, high: int, name: str) -> None:
    if not low <= value <= high:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "checkout", name), min=low, max=high)


def check_policy(policy: CheckoutPolicy) -> CheckoutPolicy:
    _range(policy.min_points, 1, MAX_POINTS_PER_OPERATION, "minPoints")
    _range(policy.step, 1, MAX_POINTS_PER_OPERATION, "step")
    _range(policy.max_cart_percent, 1, 100, "maxCartPercent")
    _range(policy.hold_minutes, 1, MAX_HOLD_MINUTES, "holdMinutes")
    return policy
