"""Conversions shared by the repositories (the only place documents meet models)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

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
