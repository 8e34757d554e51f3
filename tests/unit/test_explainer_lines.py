"""Product and category rules read naturally in the explainer, whatever they combine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loyalty.explainer import explain
from loyalty.program import EarningRule, EarningRuleKind, LocalizedText, Program


def _program(multiplier: str, bonus: int) -> Program:
    rule = EarningRule(
        id="r1",
        kind=EarningRuleKind.CATEGORY,
        category="oud",
        multiplier=Decimal(multiplier),
        bonus_points=bonus,
    )
    return Program(
        name=LocalizedText(en="Shop", ar="متجر"),
        currency="SAR",
        default_locale="en",
        earning_rules=(rule,),
    )


@pytest.mark.parametrize(
    ("multiplier", "bonus", "locale", "line"),
    [
        ("2", 0, "en", "oud: 2x points"),
        ("1", 5, "en", "oud: 5 points extra per item"),
        ("1.5", 2, "en", "oud: 1.5x points, plus 2 points per item"),
        # the slug is isolated; the object's dual and its adjective agree (نقطتين إضافيتين)
        ("1", 2, "ar", "\u2068oud\u2069: تكسب نقطتين إضافيتين عن كل قطعة"),
        ("1", 3, "ar", "\u2068oud\u2069: تكسب 3 نقاط إضافية عن كل قطعة"),
        ("1", 0, "en", None),
    ],
)
def test_rule_lines(multiplier: str, bonus: int, locale: str, line: str | None) -> None:
    # given / when
    earning = explain(_program(multiplier, bonus), locale, None).sections[0].lines
    # then: the base rate line, then the rule's line when it changes anything
    assert earning[1:] == (() if line is None else (line,))
