"""Supported locales and `Accept-Language` negotiation (RFC 9110 §12.5.4).

Only the primary language subtag matters: `ar-SA`, `ar-EG` and `ar` all mean "ar".
Negotiation picks the supported language with the highest quality value; ties go to
the entry listed first. `q=0` means "not acceptable" and never selects a language.
A wildcard (`*`) stands for any language not named explicitly, the tenant's default
first. Malformed entries (bad tag, bad q-value) are skipped; when nothing usable
remains, the (normalised) tenant default is returned.
"""

from __future__ import annotations

import re
from typing import Final, Literal, TypeGuard

Locale = Literal["ar", "en"]

SUPPORTED_LOCALES: Final[tuple[Locale, ...]] = ("ar", "en")

FALLBACK_LOCALE: Final[Locale] = "en"

# Bounds so a hostile header cannot make negotiation expensive.
_MAX_HEADER_LENGTH: Final = 4096
_MAX_ENTRIES: Final = 64

_LANGUAGE_RANGE = re.compile(r"^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
_QVALUE = re.compile(r"^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$")


def is_supported_locale(value: str) -> TypeGuard[Locale]:
    """True when `value` is exactly one of SUPPORTED_LOCALES (no normalisation)."""
    return value in SUPPORTED_LOCALES


def normalize_locale(value: str | None) -> Locale | None:
    """Map a language tag (`ar_SA`, `AR-eg`, `en`) to a supported locale, or None."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if is_supported_locale(primary) else None


def _parse_quality(params: list[str]) -> float | None:
    """The entry's q-value (1.0 when absent), or None when the parameters are malformed."""
    quality = 1.0
    for param in params:
        name, sep, raw = param.partition("=")
        name = name.strip().lower()
        if not name and not sep:
            continue  # tolerate a stray ";"
        if name != "q":
            continue  # other parameters carry no meaning for language negotiation
        raw = raw.strip()
        if not _QVALUE.fullmatch(raw):
            return None
        quality = float(raw)
    return quality


def negotiate_locale(accept_language: str | None, default: str) -> Locale:
    """Choose the response locale from an `Accept-Language` header.

    `default` is the tenant's default locale; it is normalised too (`ar-SA` -> "ar") and
    falls back to "en" when it is not a supported locale.
    """
    fallback = normalize_locale(default) or FALLBACK_LOCALE
    if not accept_language:
        return fallback

    # locale -> (quality, position) of its best explicit entry
    explicit: dict[Locale, tuple[float, int]] = {}
    rejected: set[Locale] = set()
    wildcard: tuple[float, int] | None = None

    entries = accept_language[:_MAX_HEADER_LENGTH].split(",")[:_MAX_ENTRIES]
    for position, entry in enumerate(entries):
        tag, *params = entry.split(";")
        tag = tag.strip()
        if not tag or not _LANGUAGE_RANGE.fullmatch(tag):
            continue
        quality = _parse_quality(params)
        if quality is None:
            continue
        if tag == "*":
            if wildcard is None:
                wildcard = (quality, position)
            continue
        locale = normalize_locale(tag)
        if locale is None:
            continue
        if quality == 0.0:
            if "-" not in tag:
                rejected.add(locale)  # "ar;q=0" rejects Arabic; "ar-SA;q=0" only one region
            continue
        if locale not in explicit or quality > explicit[locale][0]:
            explicit[locale] = (quality, position)

    # (quality, explicit beats wildcard, earlier entry wins) -> locale
    candidates: list[tuple[tuple[float, int, int], Locale]] = [
        ((quality, 1, -position), locale)
        for locale, (quality, position) in explicit.items()
        if locale not in rejected
    ]
    if wildcard is not None and wildcard[0] > 0.0:
        # "*" stands for every language not named explicitly; the tenant default comes first.
        for locale in (fallback, *SUPPORTED_LOCALES):
            if locale not in explicit and locale not in rejected:
                candidates.append(((wildcard[0], 0, -wildcard[1]), locale))
                break
    if not candidates:
        return fallback
    return max(candidates, key=lambda candidate: candidate[0])[1]
