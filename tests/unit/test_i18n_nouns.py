"""Counted nouns with case, money in riyals and other currencies, and the renderer's specs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from loyalty.i18n.money import Currency, Money, format_money
from loyalty.i18n.nouns import NOUNS, Case, count_noun
from loyalty.i18n.render import MessageContext, render


@pytest.mark.parametrize(
    ("noun", "count", "case", "expected"),
    [
        ("days", 0, Case.NOMINATIVE, "0 يوم"),
        ("days", 1, Case.NOMINATIVE, "يوم واحد"),
        ("days", 1, Case.ACCUSATIVE, "يومًا واحدًا"),
        ("days", 2, Case.NOMINATIVE, "يومان"),
        ("days", 2, Case.OBLIQUE, "يومين"),
        ("days", 3, Case.OBLIQUE, "3 أيام"),
        ("days", 14, Case.NOMINATIVE, "14 يومًا"),
        ("days", 100, Case.NOMINATIVE, "100 يوم"),
        ("months", 6, Case.OBLIQUE, "6 أشهر"),
        ("orders", 1, Case.ACCUSATIVE, "طلبًا واحدًا"),
        ("levels", 12, Case.NOMINATIVE, "12 مستوًى"),
        ("tokens", 10, Case.OBLIQUE, "10 رموز"),
        ("riyals", 25, Case.NOMINATIVE, "25 ريالًا"),
        ("riyals", 1000, Case.NOMINATIVE, "1,000 ريال"),
        ("points", 2, Case.OBLIQUE, "نقطتين"),
    ],
)
def test_counted_nouns_in_arabic(noun: str, count: int, case: Case, expected: str) -> None:
    # given a count, a noun and the case of its slot / when counted / then CLDR and case decide
    assert count_noun(count, NOUNS[noun], "ar", case) == expected


def test_counted_nouns_in_english() -> None:
    # given English / when counted / then one/other
    assert count_noun(1, NOUNS["days"], "en") == "1 day"
    assert count_noun(14, NOUNS["days"], "en") == "14 days"


@pytest.mark.parametrize(
    ("money", "compact", "locale", "expected"),
    [
        # always the currency's minor units, whole or not, in both languages
        (Money(Decimal("5"), "SAR"), False, "ar", "5.00 ريالات"),
        (Money(Decimal("1"), "SAR"), False, "ar", "1.00 ريال"),
        (Money(Decimal("2"), "SAR"), False, "ar", "2.00 ريال"),
        (Money(Decimal("11"), "SAR"), False, "ar", "11.00 ريالًا"),
        (Money(Decimal("100"), "SAR"), False, "ar", "100.00 ريال"),
        (Money(Decimal("1250.5"), "SAR"), False, "ar", "1,250.50 ريال"),
        (Money(Decimal("249"), "SAR"), True, "ar", "249.00 ر.س"),
        (Money(Decimal("1.5"), "KWD"), False, "ar", "1.500 دينار كويتي"),
        (Money(Decimal("100"), "KWD"), False, "en", "100.000 KWD"),
        (Money(Decimal("100"), "BHD"), False, "en", "100.000 BHD"),
        (Money(Decimal("100"), "OMR"), False, "en", "100.000 OMR"),
        (Money(Decimal("100"), "USD"), False, "ar", "100.00 دولار أمريكي"),
        (Money(Decimal("1000"), "SAR"), False, "en", "1,000.00 SAR"),
        (Money(Decimal("100.0"), "SAR"), False, "en", "100.00 SAR"),
        (Money(Decimal("1000"), "JPY"), False, "en", "1,000 JPY"),
    ],
)
def test_money(money: Money, compact: bool, locale: str, expected: str) -> None:
    # given an amount / when formatted / then grouped, minor units when fractional, named
    assert format_money(money, locale, compact=compact) == expected  # type: ignore[arg-type]


def test_render_specs_dates_and_isolation() -> None:
    # given a template with a case, an agreement, a date, a currency and a Latin id
    template = "لديك {points} تنتهي {points:agree two=صلاحيتهما other=صلاحيتها} في {date}، {id} {c}"
    context = MessageContext(timezone="Asia/Riyadh")
    params = {
        "points": 2,
        "date": datetime(2026, 12, 9, 21, 0, tzinfo=UTC),  # already the 10th in Riyadh
        "id": "1001-A",
        "c": Currency("SAR"),
    }
    # when rendered in Arabic
    text = render(template, "ar", context, params)
    # then
    assert text == "لديك نقطتان تنتهي صلاحيتهما في 10 ديسمبر 2026، \u20681001-A\u2069 ريال"
    assert render("{d}", "en", context, {"d": date(2026, 12, 9)}) == "December 9, 2026"
