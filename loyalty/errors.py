"""Coded errors raised deep in the domain and turned into `userErrors` at the edge.

DomainError
 ├─ carries `code` (an ErrorCode), `field` (input path) and `params` for the localized message
 └─ raised by rules and use cases; resolvers never build messages themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    INVALID_DECIMAL = "INVALID_DECIMAL"
    INVALID_CURRENCY = "INVALID_CURRENCY"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    INVALID_POINTS = "INVALID_POINTS"
    INVALID_SLUG = "INVALID_SLUG"
    INVALID_LOCALE = "INVALID_LOCALE"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    MEMBER_NOT_FOUND = "MEMBER_NOT_FOUND"
    REWARD_NOT_FOUND = "REWARD_NOT_FOUND"
    ORDER_NOT_FOUND = "ORDER_NOT_FOUND"
    TIER_NOT_FOUND = "TIER_NOT_FOUND"
    COUPON_NOT_FOUND = "COUPON_NOT_FOUND"
    KEY_NOT_FOUND = "KEY_NOT_FOUND"
    CONFLICT = "CONFLICT"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    IN_PROGRESS = "IN_PROGRESS"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"
    REWARD_INACTIVE = "REWARD_INACTIVE"
    TIER_REQUIRED = "TIER_REQUIRED"
    REFUND_EXCEEDS_ORDER = "REFUND_EXCEEDS_ORDER"
    ORDER_FULLY_REFUNDED = "ORDER_FULLY_REFUNDED"
    ACTIVITY_NOT_REWARDED = "ACTIVITY_NOT_REWARDED"
    ACTIVITY_LIMIT_REACHED = "ACTIVITY_LIMIT_REACHED"
    COUPON_ALREADY_USED = "COUPON_ALREADY_USED"
    COUPON_EXPIRED = "COUPON_EXPIRED"
    COUPON_CANCELLED = "COUPON_CANCELLED"
    INVALID_PUBLIC_KEY = "INVALID_PUBLIC_KEY"
    LAST_KEY = "LAST_KEY"
    INVALID_TIMEZONE = "INVALID_TIMEZONE"
    DEVICE_NOT_FOUND = "DEVICE_NOT_FOUND"
    INVALID_AUDIENCE = "INVALID_AUDIENCE"


class DomainError(Exception):
    def __init__(
        self,
        code: ErrorCode,
        field: Sequence[str] | None = None,
        **params: object,
    ) -> None:
        super().__init__(code.value)
        self.code = code
        self.field: tuple[str, ...] | None = tuple(field) if field is not None else None
        self.params = params


class AuthError(Exception):
    """Authentication (`UNAUTHENTICATED`) or authorization (`FORBIDDEN`) failure."""

    def __init__(self, code: str, reason: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason


def unauthenticated(reason: str = "") -> AuthError:
    return AuthError("UNAUTHENTICATED", reason)


def forbidden(reason: str = "") -> AuthError:
    return AuthError("FORBIDDEN", reason)
