"""The one renderer that fills catalog templates: counts, money, dates, names and bidi.

A placeholder is `{name}` or `{name:spec}`; the spec is a list of words:

* a noun (`days`, `levels`, ... see `loyalty.i18n.nouns.NOUNS`): the int is a count of it.
  `points`, `balance`, `required` and `available` count points, `days`, `months` and `orders`
  count themselves, without a spec;
* a case, `nom` (the default), `obl` or `acc`: the slot's grammatical case, for the Arabic
  dual and the spelled-out one ("نقطتان" / "نقطتين", "طلب واحد" / "طلبًا واحدًا");
* `agree one=… two=… other=…`: not the count but the word that agrees with it (in
  "صلاحيتها" / "صلاحيتهما" after a count of points), chosen by its CLDR plural category;
  `_` in a word stands for a space;
* `plain`: digits without grouping (pixels: "800×1200");
* `compact`: money as "25 ر.س" rather than "25 ريالًا";
* `field`: a field name, shown in Arabic by its label (`loyalty.i18n.fields`);
* `def`, `cap`: for `{points_word}`, the definite form ("النقاط") or a capital ("Points").

Values: `int` -> a count or a grouped number; `Decimal` -> a grouped number; `Money`,
`Currency`; `datetime` -> the locale's date in the context's time zone, `date` -> that day;
a list of strings -> joined with "، " / ", "; any other string -> itself. In Arabic every
string value (names, ids, codes, field names) is wrapped in FSI…PDI (see `loyalty.i18n.bidi`).

`{points_word}` is filled by the renderer: the merchant's own word for points, in the plural.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from babel.dates import format_date as babel_format_date

from loyalty.i18n.bidi import isolate
from loyalty.i18n.dates import format_date
from loyalty.i18n.fields import FIELD_LABELS
from loyalty.i18n.locales import Locale
from loyalty.i18n.money import Currency, Money, arabic_currency_name, format_money
from loyalty.i18n.nouns import NOUNS, Case, count_noun
from loyalty.i18n.plurals import PointsNames, format_number, format_points, plural_category

POINTS_WORD: Final = "points_word"
# Placeholders that are counts of a noun by their name alone.
DEFAULT_NOUNS: Final[Mapping[str, str]] = {
    "points": "points",
    "balance": "points",
    "required": "points",
    "available": "points",
    "days": "days",
    "months": "months",
    "orders": "orders",
}
_CASES: Final = {case.value: case for case in Case}
_NUMERIC: Final = re.compile(r"[0-9][0-9.,]*")
_TO_LATIN: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


@dataclass(frozen=True)
class MessageContext:
    """What a message needs to know about its reader beyond the language."""

    points_names: PointsNames | None = None
    timezone: str = "UTC"
    # "admin" selects a key's admin-facing variant (third person) where the catalog has one.
    audience: str | None = None


@dataclass(frozen=True)
class Spec:
    noun: str | None = None
    case: Case = Case.NOMINATIVE
    agree: Mapping[str, str] | None = None
    plain: bool = False
    compact: bool = False
    definite: bool = False
    capital: bool = False
    field: bool = False


def parse_spec(text: str) -> Spec:
    noun: str | None = None
    case = Case.NOMINATIVE
    agree: dict[str, str] | None = None
    flags: set[str] = set()
    for word in text.split():
        if agree is not None:
            category, _, form = word.partition("=")
            agree[category] = form.replace("_", " ")
        elif word == "agree":
            agree = {}
        elif word in NOUNS:
            noun = word
        elif word in _CASES:
            case = _CASES[word]
        elif word in ("plain", "compact", "def", "cap", "field"):
            flags.add(word)
        else:
            raise ValueError(f"unknown placeholder spec {word!r} in {text!r}")
    if agree is not None and "other" not in agree:
        raise ValueError(f"an agreement needs an 'other' form: {text!r}")
    return Spec(
        noun,
        case,
        agree,
        plain="plain" in flags,
        compact="compact" in flags,
        definite="def" in flags,
        capital="cap" in flags,
        field="field" in flags,
    )


def points_word(locale: Locale, names: PointsNames | None, *, definite: bool) -> str:
    """The plural word for points: "نقاط" / "النقاط", a merchant's "فلكسات" / "الفلكسات"."""
    if names is None:
        if locale == "ar":
            return "النقاط" if definite else NOUNS["points"].few
        return NOUNS["points"].en_other
    words = names.for_locale(locale)
    word = words.get("few", words["other"]) if locale == "ar" else words["other"]
    if locale == "ar" and definite and not word.startswith("ال") and " " not in word:
        return f"ال{word}"
    return word


def _count(
    count: int | Decimal, noun: str, spec: Spec, locale: Locale, names: PointsNames | None
) -> str:
    if noun == "points" and names is not None:
        if isinstance(count, int):
            return format_points(count, locale, names)
        return f"{format_number(count, locale)} {names.for_locale(locale)['other']}"
    return count_noun(count, NOUNS[noun], locale, spec.case)


def _format_day(day: date, locale: Locale) -> str:
    return babel_format_date(day, "long", locale=locale).translate(_TO_LATIN)


def render_value(
    name: str, value: object, spec: Spec, locale: Locale, context: MessageContext
) -> str:
    rtl = locale == "ar"
    if spec.agree is not None:
        if not isinstance(value, int | Decimal | Money):
            raise TypeError(f"{name}: agreement needs a count, got {type(value).__name__}")
        count = value.amount if isinstance(value, Money) else value
        category = plural_category(count, locale)
        return spec.agree.get(category, spec.agree["other"])
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | Decimal):
        noun = spec.noun or DEFAULT_NOUNS.get(name)
        if noun is not None:
            return _count(value, noun, spec, locale, context.points_names)
        if spec.plain:
            return str(value)
        return format_number(value, locale)
    if isinstance(value, Money):
        return format_money(value, locale, compact=spec.compact, case=spec.case)
    if isinstance(value, Currency):
        if not rtl:
            return value.code
        return arabic_currency_name(value.code)
    if isinstance(value, datetime):
        return format_date(value, locale, context.timezone)
    if isinstance(value, date):
        return _format_day(value, locale)
    if isinstance(value, list | tuple):
        items: Sequence[object] = value
        texts = [
            FIELD_LABELS[str(item)]
            if rtl and spec.field and str(item) in FIELD_LABELS
            else isolate(str(item))
            if rtl
            else str(item)
            for item in items
        ]
        return ("، " if rtl else ", ").join(texts)
    text = str(value)
    if rtl and spec.field and text in FIELD_LABELS:
        return FIELD_LABELS[text]
    # A number handed over as text ("4.48") needs no isolation: digits keep their order.
    return isolate(text) if rtl and text and not _NUMERIC.fullmatch(text) else text


def fields(template: str) -> list[tuple[str, str | None, str]]:
    """(literal text, placeholder name or None, spec) in order."""
    return [
        (literal, name, spec or "") for literal, name, spec, _ in string.Formatter().parse(template)
    ]


def render(
    template: str, locale: Locale, context: MessageContext, params: Mapping[str, object]
) -> str:
    """Fill `template`; raises KeyError for a missing parameter."""
    parts: list[str] = []
    for literal, name, spec_text in fields(template):
        parts.append(literal)
        if name is None:
            continue
        spec = parse_spec(spec_text)
        if name == POINTS_WORD:
            word = points_word(locale, context.points_names, definite=spec.definite)
            parts.append(word[:1].upper() + word[1:] if spec.capital else word)
            continue
        parts.append(render_value(name, params[name], spec, locale, context))
    return "".join(parts)
