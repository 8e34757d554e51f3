"""Shapes shared by several domains: localized text and Relay pagination."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any, NoReturn

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


def bad_cursor() -> NoReturn:
    raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")


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


def encode_key_cursor(kind: str, values: list[Any]) -> str:
    """An opaque cursor for keyset pagination: the last row's sort key (dates tagged)."""
    tagged = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    payload = json.dumps([kind, *tagged], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode()).decode()


def decode_key_cursor(kind: str, cursor: str | None, arity: int) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor.encode()).decode())
        if isinstance(decoded, list) and len(decoded) == arity + 1 and decoded[0] == kind:
            return [_untag(v) for v in decoded[1:]]
    except (ValueError, UnicodeDecodeError, TypeError, KeyError):
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        moment = datetime.fromisoformat(value["t"])
        if moment.tzinfo is None:
            raise ValueError("naive cursor date")
        return moment
    if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
        return value
    raise ValueError("unexpected cursor value")
