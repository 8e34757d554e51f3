"""CLDR plural categories, number formatting and point counts in Arabic and English.

Arabic has six plural categories (CLDR): zero (0), one (1), two (2), few (3-10, 103-110,
...), many (11-99, 111-199, ...) and other (100-102, 200-202, ...). English uses one/other.
Locale strings are normalised like everywhere in `loyalty.i18n`: `ar-SA` -> "ar", and
anything unsupported -> "en".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Final

from babel import Locale as BabelLocale
from babel.numbers import format_decimal

from loyalty.i18n.locales import FALLBACK_LOCALE, Locale, normalize_locale

PLURAL_CATEGORIES: Final = ("zero", "one", "two", "few", "many", "other")

# Default words per plural category; a missing category uses "other".
_DEFAULT_NAMES: Final[Mapping[Locale, Mapping[str, str]]] = MappingProxyType(
    {
        "en": MappingProxyType({"one": "point", "other": "points"}),
        "ar": MappingProxyType(
            {
                "zero": "نقطة",  # 0 نقطة
                "one": "نقطة",  # only with a number (-1); 1 is spelled out, see below
                "two": "نقطة",  # only with a number (-2); 2 is spelled out, see below
                "few": "نقاط",  # 3 نقاط ... 10 نقاط
                "many": "نقطة",  # 11 نقطة ... 99 نقطة
                "other": "نقطة",  # 100 نقطة, 101 نقطة
            }
        ),
    }
)

# Arabic spells out one and two instead of printing the number: "نقطة واحدة", "نقطتان"
# (the dual in the nominative, so catalog messages put point counts in nominative slots).
_ARABIC_SPELLED_OUT: Final[Mapping[int, str]] = MappingProxyType({1: "نقطة واحدة", 2: "نقطتان"})


def _locale(locale: str) -> Locale:
    return normalize_locale(locale) or FALLBACK_LOCALE


@cache
def _babel_locale(locale: Locale) -> BabelLocale:
    return BabelLocale.parse(locale)


def plural_category(count: int | Decimal, locale: str) -> str:
    """CLDR plural category of `count` in `locale` ("zero", "one", "two", "few", "many" or
    "other"). Negative counts take the category of their absolute value, as in CLDR."""
    magnitude: int | Decimal = -count if count < 0 else count
    return str(_babel_locale(_locale(locale)).plural_form(magnitude))


def format_number(value: int | Decimal, locale: str) -> str:
    """Format `value` with the locale's grouping and decimal symbols.

    Arabic uses the "ar" locale but with LATIN digits (numbering_system="latn"): merchant
    apps in the Gulf and Egypt show 0-9, not Arabic-Indic digits, so "1,234" not "١٬٢٣٤".
    Decimals are never rounded and keep their trailing zeros ("12.50" stays "12.50").
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"format_number expects int or Decimal, got {type(value).__name__}")
    pattern: str | None = None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot format non-finite decimal {value}")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            pattern = "#,##0." + "0" * -exponent
    return format_decimal(
        value,
        format=pattern,
        locale=_babel_locale(_locale(locale)),
        decimal_quantization=False,
        group_separator=True,
        numbering_system="latn",
    )


@dataclass(frozen=True)
class PointsNames:
    """A merchant's own name for its points, per locale and CLDR plural category.

    e.g. `PointsNames(ar={"other": "فلكس"}, en={"one": "Flex", "other": "Flex"})`.
    Each mapping must contain "other"; a missing category falls back to "other".
    With merchant names the number is always printed ("1 Flex", "2 فلكس"), unlike the
    default Arabic words, which spell out one and two ("نقطة واحدة", "نقطتان").
    """

    ar: Mapping[str, str]
    en: Mapping[str, str]

    def __post_init__(self) -> None:
        for field_name in ("ar", "en"):
            names: Mapping[str, str] = getattr(self, field_name)
            unknown = set(names) - set(PLURAL_CATEGORIES)
            if unknown:
                raise ValueError(f"unknown plural categories for {field_name}: {sorted(unknown)}")
            if "other" not in names:
                raise ValueError(f"points names for {field_name} need an 'other' form")
            if any(not isinstance(word, str) or not word.strip() for word in names.values()):
                raise ValueError(f"points names for {field_name} must be non-empty strings")
            # Copy into a read-only view so the frozen instance really is immutable.
            frozen = MappingProxyType({key: word.strip() for key, word in names.items()})
            object.__setattr__(self, field_name, frozen)

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.ar.items())), tuple(sorted(self.en.items()))))

    def for_locale(self, locale: Locale) -> Mapping[str, str]:
        return self.ar if locale == "ar" else self.en


def format_points(count: int, locale: str, names: PointsNames | None = None) -> str:
    """A point count with the right plural form.

    Defaults: en "1 point", "5 points"; ar "0 نقطة", "نقطة واحدة", "نقطتان", "3 نقاط",
    "11 نقطة", "100 نقطة". Merchant names always read "{number} {word}".
    """
    resolved = _locale(locale)
    category = plural_category(count, resolved)
    words = _DEFAULT_NAMES[resolved] if names is None else names.for_locale(resolved)
    word = words.get(category, words["other"])
    if names is None and resolved == "ar" and count in _ARABIC_SPELLED_OUT:
        return _ARABIC_SPELLED_OUT[count]
    return f"{format_number(count, resolved)} {word}"


def points_word(category: str, locale: str, names: PointsNames | None = None) -> str:
    """The bare word for a plural category ("نقاط" for few), for apps that place the number
    themselves. The default Arabic dual is the word itself, "نقطتان" (it takes no number)."""
    resolved = _locale(locale)
    if names is None and resolved == "ar" and category == "two":
        return _ARABIC_SPELLED_OUT[2]
    words = _DEFAULT_NAMES[resolved] if names is None else names.for_locale(resolved)
    return words.get(category) or words["other"]
