"""Counted nouns: one helper for "3 أيام", "11 يومًا", "يومين", "5 days", driven by CLDR.

Arabic picks the noun's form from the CLDR plural category of the count (Babel) and, for
the spelled-out one and two, from the grammatical case of the slot the count fills:

| category | example (أيام)          | form                                       |
|----------|-------------------------|--------------------------------------------|
| zero     | 0 يوم                   | the number, then the genitive singular     |
| one      | يوم واحد / يومًا واحدًا | spelled out; the accusative differs        |
| two      | يومان / يومين           | the dual: nominative / oblique (gen., acc.)|
| few      | 3 أيام                  | the number, then the plural                |
| many     | 11 يومًا                | the number, then the accusative singular   |
| other    | 100 يوم                 | the number, then the genitive singular     |

Negative and fractional counts always print their number ("-2 يوم", "1.5 يوم"), and so does
a count written with decimals ("1.00 ريال", "2.00 ريال": an amount in minor units), which
takes the word of its CLDR category ("3.00 ريالات", "11.00 ريالًا").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from loyalty.i18n.locales import Locale
from loyalty.i18n.plurals import format_number, plural_category


class Case(StrEnum):
    """The grammatical case of the slot a count fills (only the spelled-out forms show it)."""

    NOMINATIVE = "nom"  # subject, predicate, after لديك: نقطتان, يوم واحد
    OBLIQUE = "obl"  # after a preposition or in a construct: نقطتين, يوم واحد
    ACCUSATIVE = "acc"  # object: نقطتين, يومًا واحدًا


@dataclass(frozen=True)
class Noun:
    """The forms of one counted noun (see the module table)."""

    one: str  # spelled-out one, nominative/genitive: "يوم واحد"
    one_acc: str  # spelled-out one, accusative: "يومًا واحدًا"
    two_nom: str  # "يومان"
    two_obl: str  # "يومين"
    few: str  # "أيام" (3-10)
    many: str  # "يومًا" (11-99, accusative tamyiz)
    other: str  # "يوم" (0, 100-102, genitive tamyiz)
    en_one: str
    en_other: str

    def arabic_word(self, category: str) -> str:
        return {"few": self.few, "many": self.many}.get(category, self.other)


def _noun(
    one: str, one_acc: str, two: tuple[str, str], few: str, many: str, other: str, en: str
) -> Noun:
    en_one, en_other = en.split("/")
    return Noun(one, one_acc, two[0], two[1], few, many, other, en_one, en_other)


# The default word for points ("نقطة") is a Noun too; a merchant's own words replace it.
NOUNS: Final[dict[str, Noun]] = {
    "points": _noun(
        "نقطة واحدة", "نقطة واحدة", ("نقطتان", "نقطتين"), "نقاط", "نقطة", "نقطة", "point/points"
    ),
    "days": _noun("يوم واحد", "يومًا واحدًا", ("يومان", "يومين"), "أيام", "يومًا", "يوم", "day/days"),
    "months": _noun(
        "شهر واحد", "شهرًا واحدًا", ("شهران", "شهرين"), "أشهر", "شهرًا", "شهر", "month/months"
    ),
    "orders": _noun(
        "طلب واحد", "طلبًا واحدًا", ("طلبان", "طلبين"), "طلبات", "طلبًا", "طلب", "order/orders"
    ),
    "riyals": _noun(
        "ريال واحد", "ريالًا واحدًا", ("ريالان", "ريالين"), "ريالات", "ريالًا", "ريال", "riyal/riyals"
    ),
    "levels": _noun(
        "مستوى واحد",
        "مستوًى واحدًا",
        ("مستويان", "مستويين"),
        "مستويات",
        "مستوًى",
        "مستوى",
        "level/levels",
    ),
    "tokens": _noun(
        "رمز واحد", "رمزًا واحدًا", ("رمزان", "رمزين"), "رموز", "رمزًا", "رمز", "token/tokens"
    ),
    "characters": _noun(
        "حرف واحد", "حرفًا واحدًا", ("حرفان", "حرفين"), "أحرف", "حرفًا", "حرف", "character/characters"
    ),
    "intervals": _noun(
        "فترة واحدة",
        "فترة واحدة",
        ("فترتان", "فترتين"),
        "فترات",
        "فترة",
        "فترة",
        "interval/intervals",
    ),
    "decimals": _noun(
        "منزلة عشرية واحدة",
        "منزلة عشرية واحدة",
        ("منزلتان عشريتان", "منزلتين عشريتين"),
        "منازل عشرية",
        "منزلة عشرية",
        "منزلة عشرية",
        "decimal place/decimal places",
    ),
    "operations": _noun(
        "عملية واحدة",
        "عملية واحدة",
        ("عمليتان", "عمليتين"),
        "عمليات",
        "عملية",
        "عملية",
        "operation/operations",
    ),
}


def _whole(count: int | Decimal) -> int | None:
    """The count as a whole number when it is written as one ("1", not "1.00" or "1.5")."""
    if isinstance(count, int):
        return count
    exponent = count.as_tuple().exponent
    written_whole = isinstance(exponent, int) and exponent >= 0
    return int(count) if written_whole and count == count.to_integral_value() else None


def count_noun(
    count: int | Decimal, noun: Noun, locale: Locale, case: Case = Case.NOMINATIVE
) -> str:
    """`count` with `noun` in the right form, e.g. "3 أيام", "يومين", "11 يومًا", "1 day"."""
    number = format_number(count, locale)
    category = plural_category(count, locale)
    if locale != "ar":
        return f"{number} {noun.en_one if category == 'one' else noun.en_other}"
    whole = _whole(count)
    if whole == 1:
        return noun.one_acc if case is Case.ACCUSATIVE else noun.one
    if whole == 2:
        return noun.two_nom if case is Case.NOMINATIVE else noun.two_obl
    return f"{number} {noun.arabic_word(category)}"
