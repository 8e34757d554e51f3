"""Shapes shared by several domains: localized text and Relay pagination."""

from __future__ import annotations

import base64

import strawberry

from loyalty.errors import DomainError, ErrorCode
from loyalty.program import LocalizedText

MAX_PAGE = 100
DEFAULT_PAGE = 20


@strawberry.input
class LocalizedTextInput:
    ar: str | None = None
    en: str | None = None

    def to_domain(self) -> LocalizedText:
        return LocalizedText(ar=self.ar, en=self.en)


@strawberry.type
class LocalizedTextValue:
    ar: str | None
    en: str | None


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("first",), min=1, max=MAX_PAGE)
    return first


def encode_cursor(kind: str, value: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(kind: str, cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        prefix, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if prefix == kind:
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")
