"""Coded errors raised deep in the domain and turned into `userErrors` at the edge.

DomainError
 ├─ carries `code` (an ErrorCode), `field` (input path) and `params` for the localized message
 ├─ raised by rules and use cases; resolvers never build messages themselves.
 └─ DomainErrors: several independent input errors reported together (one userError each)
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
    ORDER_TOO_OLD = "ORDER_TOO_OLD"
    TIER_NOT_FOUND = "TIER_NOT_FOUND"
    BADGE_NOT_FOUND = "BADGE_NOT_FOUND"
    COUPON_NOT_FOUND = "COUPON_NOT_FOUND"
    KEY_NOT_FOUND = "KEY_NOT_FOUND"
    CONFLICT = "CONFLICT"
    IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    IN_PROGRESS = "IN_PROGRESS"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"
    REWARD_INACTIVE = "REWARD_INACTIVE"
    TIER_REQUIRED = "TIER_REQUIRED"
    TIER_RANK_TAKEN = "TIER_RANK_TAKEN"
    TIER_THRESHOLD_OVERLAP = "TIER_THRESHOLD_OVERLAP"
    NO_VIP_TRIAL_OFFER = "NO_VIP_TRIAL_OFFER"
    VIP_TRIAL_NOT_ELIGIBLE = "VIP_TRIAL_NOT_ELIGIBLE"
    VIP_TRIAL_ALREADY_USED = "VIP_TRIAL_ALREADY_USED"
    TIER_ALREADY_HELD = "TIER_ALREADY_HELD"
    REFERRAL_CODE_INVALID = "REFERRAL_CODE_INVALID"
    SELF_REFERRAL = "SELF_REFERRAL"
    CIRCULAR_REFERRAL = "CIRCULAR_REFERRAL"
    ALREADY_REFERRED = "ALREADY_REFERRED"
    NOT_A_NEW_CUSTOMER = "NOT_A_NEW_CUSTOMER"
    REFUND_EXCEEDS_ORDER = "REFUND_EXCEEDS_ORDER"
    ORDER_FULLY_REFUNDED = "ORDER_FULLY_REFUNDED"
    ACTIVITY_NOT_REWARDED = "ACTIVITY_NOT_REWARDED"
    ACTIVITY_LIMIT_REACHED = "ACTIVITY_LIMIT_REACHED"
    COUPON_ALREADY_USED = "COUPON_ALREADY_USED"
    COUPON_EXPIRED = "COUPON_EXPIRED"
    COUPON_CANCELLED = "COUPON_CANCELLED"
    INVALID_PUBLIC_KEY = "INVALID_PUBLIC_KEY"
    LAST_KEY = "LAST_KEY"
    INVALID_COLOR = "INVALID_COLOR"
    LOW_CONTRAST = "LOW_CONTRAST"
    UNSUPPORTED_FONT = "UNSUPPORTED_FONT"
    INSECURE_URL = "INSECURE_URL"
    THEME_NOT_FOUND = "THEME_NOT_FOUND"
    NO_THEME_DRAFT = "NO_THEME_DRAFT"
    IMAGE_UNSUPPORTED_FORMAT = "IMAGE_UNSUPPORTED_FORMAT"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    IMAGE_DIMENSIONS_TOO_LARGE = "IMAGE_DIMENSIONS_TOO_LARGE"
    IMAGE_TOO_SMALL = "IMAGE_TOO_SMALL"
    IMAGE_NOT_SQUARE = "IMAGE_NOT_SQUARE"
    IMAGE_TRANSPARENT = "IMAGE_TRANSPARENT"
    IMAGE_CORRUPT = "IMAGE_CORRUPT"
    INVALID_RANGE = "INVALID_RANGE"
    RANGE_TOO_LONG = "RANGE_TOO_LONG"
    TOO_MANY_BUCKETS = "TOO_MANY_BUCKETS"
    INVALID_TIMEZONE = "INVALID_TIMEZONE"
    DEVICE_NOT_FOUND = "DEVICE_NOT_FOUND"
    INVALID_AUDIENCE = "INVALID_AUDIENCE"
    SEARCH_SORT_UNSUPPORTED = "SEARCH_SORT_UNSUPPORTED"
    DUPLICATE_VALUE = "DUPLICATE_VALUE"
    # Gifting, charity and privacy (issue 12).
    TRANSFERS_DISABLED = "TRANSFERS_DISABLED"
    SELF_TRANSFER = "SELF_TRANSFER"
    RECIPIENT_NOT_FOUND = "RECIPIENT_NOT_FOUND"
    TRANSFER_LIMIT_REACHED = "TRANSFER_LIMIT_REACHED"
    ACCOUNT_TOO_NEW = "ACCOUNT_TOO_NEW"
    CHARITY_NOT_FOUND = "CHARITY_NOT_FOUND"
    CHARITY_INACTIVE = "CHARITY_INACTIVE"
    MEMBER_ERASED = "MEMBER_ERASED"
    # --- issue 12: member import (importMembers problems) ---
    IMPORT_EMPTY_FILE = "IMPORT_EMPTY_FILE"
    IMPORT_ENCODING = "IMPORT_ENCODING"
    IMPORT_MALFORMED = "IMPORT_MALFORMED"
    IMPORT_TOO_MANY_ROWS = "IMPORT_TOO_MANY_ROWS"
    IMPORT_MISSING_COLUMN = "IMPORT_MISSING_COLUMN"
    IMPORT_UNKNOWN_COLUMN = "IMPORT_UNKNOWN_COLUMN"
    IMPORT_FIELD_COUNT = "IMPORT_FIELD_COUNT"
    IMPORT_REQUIRED = "IMPORT_REQUIRED"
    IMPORT_INVALID_NUMBER = "IMPORT_INVALID_NUMBER"
    IMPORT_INVALID_DATE = "IMPORT_INVALID_DATE"
    IMPORT_INVALID_PHONE = "IMPORT_INVALID_PHONE"
    IMPORT_INVALID_EMAIL = "IMPORT_INVALID_EMAIL"
    IMPORT_BALANCE_MISMATCH = "IMPORT_BALANCE_MISMATCH"
    IMPORT_LOT_EXPIRED = "IMPORT_LOT_EXPIRED"
    # Outbound webhooks (issue 10).
    WEBHOOK_ENDPOINT_NOT_FOUND = "WEBHOOK_ENDPOINT_NOT_FOUND"
    WEBHOOK_DELIVERY_NOT_FOUND = "WEBHOOK_DELIVERY_NOT_FOUND"
    TOO_MANY_WEBHOOK_ENDPOINTS = "TOO_MANY_WEBHOOK_ENDPOINTS"
    URL_NOT_PUBLIC = "URL_NOT_PUBLIC"


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


class DomainErrors(DomainError):
    """Several input errors found in one pass (e.g. every failing colour pair of a theme).
    Behaves as its first error for callers that only look at one."""

    def __init__(self, errors: Sequence[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.field, **first.params)
        self.errors = tuple(errors)


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
