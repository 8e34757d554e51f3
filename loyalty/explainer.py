"""The "how our points work" page, built from the program in the shopper's language.

Every sentence comes from the message catalog, so point counts get the right plural form
(with the merchant's own name for points) and numbers the locale's grouping.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from loyalty.i18n import PointsNames, translate_with_names
from loyalty.i18n.money import Currency, Money
from loyalty.program import EarningRule, EarningRuleKind, Program

# Points shown in the value sentence: "100 points = 1.00 SAR" reads better than fractions.
VALUE_EXAMPLE_POINTS = 100


class ExplainerSectionKind(StrEnum):
    EARNING = "EARNING"
    VALUE = "VALUE"
    PENDING = "PENDING"
    EXPIRY = "EXPIRY"
    TIERS = "TIERS"


@dataclass(frozen=True)
class ExplainerSection:
    kind: ExplainerSectionKind
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Explainer:
    title: str
    sections: tuple[ExplainerSection, ...]


def _plain(value: Decimal) -> Decimal:
    # 1.50 -> 1.5, 2.00 -> 2: multipliers and thresholds read without trailing zeros.
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _rule_line(rule: EarningRule, locale: str, names: PointsNames | None) -> str | None:
    def say(message: str, /, **params: object) -> str:
        return translate_with_names(message, locale, names, **params)

    label = rule.name.pick(locale)
    if rule.kind is EarningRuleKind.ACTIVITY and rule.activity is not None:
        activity = label or say(
            f"reason.activity.{rule.activity.value}", key=rule.custom_activity or ""
        )
        return say("explainer.earning.activity", name=activity, points=rule.points)
    target = rule.category if rule.kind is EarningRuleKind.CATEGORY else rule.sku
    if target is None:
        return None
    name = label or target
    boosted = rule.multiplier != 1
    if boosted and rule.bonus_points:
        return say(
            "explainer.earning.product_both",
            name=name,
            multiplier=_plain(rule.multiplier),
            points=rule.bonus_points,
        )
    if boosted:
        return say("explainer.earning.product", name=name, multiplier=_plain(rule.multiplier))
    if rule.bonus_points:
        return say("explainer.earning.product_bonus", name=name, points=rule.bonus_points)
    return None  # a rule that changes nothing is not worth a line


def explain(program: Program, locale: str, names: PointsNames | None) -> Explainer:
    def say(message: str, /, **params: object) -> str:
        return translate_with_names(message, locale, names, **params)

    currency = Currency(program.currency)
    rate = program.earn_rate
    if rate == rate.to_integral():
        earning = [say("explainer.earning.base", points=int(rate), currency=currency)]
    else:  # a fractional count has no plural form: stated as a rate
        earning = [say("explainer.earning.rate", rate=_plain(rate), currency=currency)]
    for rule in program.earning_rules:
        line = _rule_line(rule, locale, names) if rule.active else None
        if line is not None:
            earning.append(line)
    worth = _plain(program.point_value * VALUE_EXAMPLE_POINTS)
    sections = [
        ExplainerSection(ExplainerSectionKind.EARNING, say("explainer.earning"), tuple(earning)),
        ExplainerSection(
            ExplainerSectionKind.VALUE,
            say("explainer.value"),
            (
                say(
                    "explainer.value.line",
                    points=VALUE_EXAMPLE_POINTS,
                    worth=Money(worth, program.currency),
                ),
            ),
        ),
        ExplainerSection(
            ExplainerSectionKind.PENDING,
            say("explainer.pending"),
            (
                say("explainer.pending.line", days=program.pending_days)
                if program.pending_days
                else say("explainer.pending.immediate"),
            ),
        ),
        ExplainerSection(
            ExplainerSectionKind.EXPIRY,
            say("explainer.expiry"),
            (
                say("explainer.expiry.never")
                if program.expiry_months is None
                else say("explainer.expiry.line", months=program.expiry_months),
            ),
        ),
    ]
    if program.tiers:
        lines = tuple(
            say(
                "explainer.tiers.line",
                name=tier.name.pick(locale) or tier.id,
                threshold=Money(tier.threshold, program.currency),
                multiplier=_plain(tier.earn_multiplier),
            )
            for tier in program.sorted_tiers()
        )
        sections.append(ExplainerSection(ExplainerSectionKind.TIERS, say("explainer.tiers"), lines))
    title = say("explainer.title", program=program.name.pick(locale) or "")
    return Explainer(title=title, sections=tuple(sections))
