"""Paying with points at checkout: the program's rules, and the money points are worth.

Points buy money at the program's `point_value`. The discount is rounded down to the
currency's minor unit, so the shopper is never given more than the points are worth, and
loses less than one minor unit (a halala, a fils) to rounding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal

from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n.money import Money
from loyalty.lots import HeldPart
from loyalty.money import currency_precision, floor_points


@dataclass(frozen=True)
class CheckoutPolicy:
    """`min_points` the fewest a cart may use, in multiples of `step`, worth at most
    `max_cart_percent` of the cart total; a hold lasts `hold_minutes` unless captured."""

    min_points: int = 1
    step: int = 1
    max_cart_percent: int = 100
    hold_minutes: int = 30


def points_worth(points: int, point_value: Decimal, currency: str) -> Decimal:
    """The money `points` buy, floored to the currency's minor unit."""
    unit = Decimal(1).scaleb(-currency_precision(currency))
    return (point_value * points).quantize(unit, rounding=ROUND_FLOOR)


def cart_limit(cart_total: Decimal, policy: CheckoutPolicy) -> Decimal:
    """The most money points may take off this cart."""
    return cart_total * policy.max_cart_percent / 100


def max_usable(
    balance: int, cart_total: Decimal, point_value: Decimal, policy: CheckoutPolicy
) -> int:
    """The most points this cart accepts from this balance: within the cart's limit (by the
    points' exact worth), a multiple of the step, and 0 below the minimum."""
    by_cart = floor_points(cart_limit(cart_total, policy) / point_value)
    usable = min(balance, by_cart)
    usable -= usable % policy.step
    return usable if usable >= max(policy.min_points, 1) else 0


def check_request(
    points: int, cart_total: Decimal, point_value: Decimal, currency: str, policy: CheckoutPolicy
) -> Decimal:
    """The discount for using `points` on this cart, or the rule they break (the balance is
    the wallet's to check)."""
    field = ("input", "points")
    if points < max(policy.min_points, 1):
        raise DomainError(ErrorCode.POINTS_BELOW_MINIMUM, field, minimum=policy.min_points)
    if points % policy.step:
        raise DomainError(ErrorCode.POINTS_NOT_IN_STEPS, field, step=policy.step)
    limit = cart_limit(cart_total, policy)
    if point_value * points > limit:
        most = max_usable(points, cart_total, point_value, policy)
        raise DomainError(
            ErrorCode.DISCOUNT_OVER_LIMIT,
            field,
            percent=policy.max_cart_percent,
            most=most,
            limit=Money(points_worth(most, point_value, currency), currency),
        )
    return points_worth(points, point_value, currency)


def points_to_return(paid: int, returned: int, total: Decimal, refunded_after: Decimal) -> int:
    """Points to give back when an order paid partly with `paid` points is refunded up to
    `refunded_after` of its `total`: in proportion, rounded down, all of them on a full
    refund; computed on the cumulative amount so partial refunds never return more."""
    if refunded_after >= total:
        return paid - returned
    due = floor_points(paid * refunded_after / total)
    return max(due - returned, 0)


def parts_to_return(parts: Sequence[HeldPart], returned: int, points: int) -> tuple[HeldPart, ...]:
    """Which spent points come back: the reverse of the spending order (the latest-expiring
    first), after the `returned` that earlier refunds gave back."""
    chosen: list[HeldPart] = []
    skip, wanted = returned, points
    for part in reversed(parts):
        skipped = min(skip, part.points)
        skip -= skipped
        take = min(part.points - skipped, wanted)
        if take > 0:
            chosen.append(replace(part, points=take))
            wanted -= take
    return tuple(chosen)
