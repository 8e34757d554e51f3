"""Money in messages: "25.00 ريالًا", "1,000.00 ريال", "12.50 ر.س", "100.00 دولار أمريكي",
"25.00 SAR".

Arabic sentences name the riyal with count agreement (ريال/ريالان/ريالات/ريالًا, see
`loyalty.i18n.nouns`); compact contexts (a price in parentheses, a list) use ر.س. Other
currencies take Babel's (CLDR) Arabic name, which has one form, or its symbol when compact.
The riyal sign U+20C1 is not used: most fonts on shoppers' phones do not have it yet.

Amounts are grouped and always show all of the currency's minor units, whole or not
(100 SAR -> "100.00", 12.5 SAR -> "12.50", 1.5 KWD -> "1.500", 100 JPY -> "100"), in every
language, so one price never reads "100" in one message and "100.00" in the next. Written
with decimals, the riyal keeps its number ("1.00 ريال", not "ريال واحد"; see `nouns`).
English keeps the app's "25.00 SAR" style.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final

from babel.numbers import get_currency_name, get_currency_precision, get_currency_symbol

from loyalty.i18n.bidi import isolate
from loyalty.i18n.locales import Locale
from loyalty.i18n.nouns import NOUNS, Case, count_noun
from loyalty.i18n.plurals import format_number

RIYAL: Final = "SAR"
RIYAL_COMPACT: Final = "ر.س"
_MARKS: Final = "\u200e\u200f\u061c"


@dataclass(frozen=True)
class Money:
    """An amount in a currency, as a message parameter."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Currency:
    """A currency as a message parameter: "ريال" / "دولار أمريكي" in Arabic, the code in English."""

    code: str


def money_amount(money: Money) -> Decimal:
    """The amount with all of the currency's minor units ("100.00" SAR, "100.000" KWD)."""
    digits = get_currency_precision(money.currency)
    return money.amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)


def arabic_currency_name(code: str) -> str:
    """ "ريال" for the riyal, Babel's Arabic name for others (isolated if it is Latin)."""
    if code == RIYAL:
        return NOUNS["riyals"].other
    name = get_currency_name(code, locale="ar")
    return isolate(name) if name.isascii() else name


def compact_symbol(code: str) -> str:
    if code == RIYAL:
        return RIYAL_COMPACT
    symbol = get_currency_symbol(code, locale="ar").strip(_MARKS).rstrip(".")
    return isolate(symbol) if any(char.isascii() and char.isalpha() for char in symbol) else symbol


def format_money(
    money: Money, locale: Locale, *, compact: bool = False, case: Case = Case.NOMINATIVE
) -> str:
    amount = money_amount(money)
    if locale != "ar":
        return f"{format_number(amount, locale)} {money.currency}"
    if compact:
        return f"{format_number(amount, locale)} {compact_symbol(money.currency)}"
    if money.currency == RIYAL:
        return count_noun(amount, NOUNS["riyals"], locale, case)
    return f"{format_number(amount, locale)} {arabic_currency_name(money.currency)}"
