"""Reading platform JSON strictly: a shape that is not the documented one raises
MalformedPayload (answered 422) instead of guessing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loyalty.store_events import MalformedPayload

MAX_ID = 128


def load(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedPayload("body is not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedPayload("body is not a JSON object")
    return data


def obj(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise MalformedPayload(f"{key} is not an object")
    return value


def ident(data: dict[str, Any], key: str) -> str:
    """An id as text: platforms send numbers or strings."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedPayload(f"{key} is not an id")
    text = str(value).strip()
    if not text or len(text) > MAX_ID or not text.isprintable():
        raise MalformedPayload(f"{key} is not an id")
    return text


def money(value: Any, what: str) -> Decimal:
    """An amount sent as a number or a decimal string; never negative."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MalformedPayload(f"{what} is not an amount")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise MalformedPayload(f"{what} is not an amount") from exc
    if not amount.is_finite() or amount < 0:
        raise MalformedPayload(f"{what} is not an amount")
    # Trailing zeros go ("230.00000000000000" is 230), without the exponent normalize() alone
    # would give an integral amount ("2.3E+2").
    return amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount.normalize()


def text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, str | int):
        raise MalformedPayload(f"{key} is not text")
    return str(value).strip() or None


def iso_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise MalformedPayload(f"{what} is not a time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise MalformedPayload(f"{what} is not a time") from exc
    if moment.tzinfo is None:
        raise MalformedPayload(f"{what} has no offset")
    return moment.astimezone(UTC)


def local_time(value: Any, zone: str, what: str) -> datetime:
    """A wall-clock time ("2022-06-26 12:21:45.000000") in a named zone."""
    if not isinstance(value, str):
        raise MalformedPayload(f"{what} is not a time")
    try:
        moment = datetime.fromisoformat(value.strip())
        tz = ZoneInfo(zone)
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise MalformedPayload(f"{what} is not a time") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


RESERVATION_KEY = "points_reservation_id"


def reservation_in_note(value: Any) -> str | None:
    """The points reservation a storefront wrote into an order note, as
    `points_reservation_id=<id>` (or `:`), wherever it sits in the note's text."""
    if not isinstance(value, str):
        return None
    _, found, rest = value.partition(RESERVATION_KEY)
    if not found:
        return None
    rest = rest.lstrip(" \t=:")
    token = rest.split(maxsplit=1)[0].strip(",;") if rest.strip() else ""
    if not token or len(token) > MAX_ID or not token.isprintable():
        raise MalformedPayload(f"{RESERVATION_KEY} is not an id")
    return token


def birthday(value: Any) -> date | None:
    """A date, or a datetime whose date part is the birthday; anything else is dropped (a
    customer event is not refused over an odd birthday)."""
    if isinstance(value, dict):
        value = value.get("date")
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
