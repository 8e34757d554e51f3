"""Conversions shared by the repositories (the only place documents meet models)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId

from loyalty.clock import ensure_utc
from loyalty.program import LocalizedText


def text_doc(text: LocalizedText) -> dict[str, str | None]:
    return {"ar": text.ar, "en": text.en}


def text_from(doc: Any) -> LocalizedText:
    if not doc:
        return LocalizedText()
    return LocalizedText(ar=doc.get("ar"), en=doc.get("en"))


def dec(value: Decimal | None) -> str | None:
    # Decimals are stored as strings: exact, and readable by any driver.
    return None if value is None else str(value)


def dec_from(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def utc(value: Any) -> datetime:
    assert isinstance(value, datetime)
    return ensure_utc(value)


def utc_or_none(value: Any) -> datetime | None:
    return None if value is None else utc(value)


def object_id(value: str) -> ObjectId | None:
    """The `_id` an id given as text names; None for text no ObjectId can be (nothing has
    that id)."""
    try:
        return ObjectId(value)
    except (InvalidId, TypeError):
        return None


def object_ids(values: Iterable[str]) -> list[ObjectId]:
    """The `_id`s these texts can name (the others name nothing)."""
    return [oid for oid in map(object_id, values) if oid is not None]
