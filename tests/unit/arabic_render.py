"""The Arabic review harness: every catalog key rendered with representative values, the
checks a copy editor would make, and the reviewer's page (docs/arabic-render.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from babel.numbers import list_currencies

from loyalty.i18n import MESSAGES
from loyalty.i18n.bidi import LRM, first_strong, isolate, outside_isolates
from loyalty.i18n.messages import translate_in
from loyalty.i18n.money import Currency, Money
from loyalty.i18n.render import DEFAULT_NOUNS, MessageContext, fields, parse_spec

COUNTS = (0, 1, 2, 3, 11, 100)
CONTEXT = MessageContext(timezone="Asia/Riyadh")
# 21:00 UTC on the 9th is already the 10th in Riyadh: the reader's zone decides the day.
MOMENT = datetime(2026, 12, 9, 21, 0, tzinfo=UTC)

# Placeholders that are counts (a number the sentence counts or states).
COUNTED = {
    *DEFAULT_NOUNS,
    "max",
    "min",
    "count",
    "requested",
    "limit",
    "rank",
    "max_mb",
    "max_side",
    "width",
    "height",
    "digits",
}
MONEY = {"total", "worth", "threshold"}
# Latin ids and names, the values that break Arabic lines when they are not isolated.
TEXTS: dict[str, object] = {
    "order_id": "1001-A",
    "request_id": "5f2c-9a",
    "key": "app_install",
    "locale": "fr",
    "timezone": "Mars/Base",
    "font": "Comic Sans",
    "foreground": "#777777",
    "background": "#FFFFFF",
    "suggestion": "#767676",
    "value": "#FFF",
    "detail": "couponCode",
    "tier": "Gold",
    "reward": "Free shipping",
    "badge": "Oud lover",
    "name": "oud",
    "program": "Perfume House",
    "allowed": ("Cairo", "Tajawal"),
    "ratio": "4.48",
    "minimum": "4.5",
    "multiplier": Decimal("1.25"),
    "rate": Decimal("1.5"),
    "currency": Currency("USD"),
    "expected": Currency("SAR"),
    "date": MOMENT,
}
PER_KEY: dict[str, dict[str, object]] = {
    "error.INVALID_CURRENCY": {"currency": "usd"},
    "error.INVALID_AMOUNT.too_large": {"most": Decimal("1000000000")},
    "error.CONFLICT.order": {"fields": ["total", "currency"]},
    "error.VIP_TRIAL_ALREADY_USED": {"date": date(2026, 12, 9)},
    "explainer.earning.base": {"currency": Currency("SAR")},
    "explainer.earning.rate": {"currency": Currency("SAR")},
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
CURRENCY_CODES = frozenset(list_currencies())


def placeholders(key: str) -> set[str]:
    return {
        name
        for locale in ("ar", "en")
        for _, name, _ in fields(MESSAGES[key][locale])
        if name and name != "points_word"
    }


def samples(key: str, hostile: str | None = None) -> list[tuple[str, dict[str, object]]]:
    """(label, params): one per count in COUNTS when the message has a count or money."""
    names = placeholders(key)
    base: dict[str, object] = {}
    for name in names - COUNTED - MONEY:
        value = PER_KEY.get(key, {}).get(name, TEXTS.get(name, "x-1"))
        if hostile is not None and isinstance(value, str) and name not in ("ratio", "minimum"):
            value = hostile
        base[name] = value
    if not names & (COUNTED | MONEY):
        return [("", base)]
    result = []
    for count in COUNTS:
        params = dict(base)
        for name in names & COUNTED:
            params[name] = count
        for name in names & MONEY:
            params[name] = Money(Decimal(count), "SAR")
        result.append((f"{count}", params))
    return result


@dataclass(frozen=True)
class Finding:
    key: str
    label: str
    problem: str
    text: str


def check(template: str, params: dict[str, object], text: str) -> list[str]:
    """What a copy editor would refuse in `text`, the Arabic `template` rendered with `params`."""
    problems: list[str] = []
    own = outside_isolates(text)
    if ISO_DATE.search(text):
        problems.append("an ISO date")
    if any(word in CURRENCY_CODES for word in re.findall(r"\b[A-Z]{3}\b", own)):
        problems.append("an ISO currency code")
    if re.search(r"(?<![0-9]),|,(?![0-9])", own):
        problems.append("a Latin comma")
    if "بالأيام" in own or "بعدد" in own:
        problems.append("a count dodged with a phrase")
    for literal, name, spec_text in fields(template):
        if name is None or name not in params:
            continue
        value = params[name]
        counted = isinstance(value, int | Decimal | Money) and parse_spec(spec_text).agree is None
        if counted and literal.rstrip().endswith(":"):
            problems.append(f"a colon before the count {{{name}}}")
    literal_words = set(LATIN_WORD.findall("".join(part for part, _, _ in fields(template))))
    for word in LATIN_WORD.findall(own):
        if word not in literal_words:
            problems.append(f"an unisolated Latin value {word!r}")
    if first_strong(text) != "R":
        problems.append("the line does not start right-to-left")
    return problems


def render_all() -> tuple[str, list[Finding]]:
    """The reviewer's page and every problem found."""
    findings: list[Finding] = []
    out = [
        "# Every message in Arabic",
        "",
        "Generated by `tests/unit/test_arabic_render.py` (do not edit by hand): each catalog",
        "key rendered in Arabic with counts 0, 1, 2, 3, 11 and 100, money in riyals, a date",
        "(9 December 2026 21:00 UTC, read in Asia/Riyadh) and Latin ids and names. Values are",
        "wrapped in FSI…PDI (invisible here); an LRM (U+200E) sits before ×multipliers and",
        "dimensions. To regenerate: `LOYALTY_WRITE_ARABIC_RENDER=1 python3 dev.py test`.",
        "",
    ]
    for key in sorted(MESSAGES):
        out.append(f"## `{key}`")
        out.append("")
        for label, params in samples(key):
            text = translate_in(key, "ar", CONTEXT, **params)
            for problem in check(MESSAGES[key]["ar"], params, text):
                findings.append(Finding(key, label, problem, text))
            out.append(f"- {label + ': ' if label else ''}{text}")
        out.append("")
    return "\n".join(out), findings


def isolation_failures(hostile: str) -> list[str]:
    """Keys whose Arabic text shows `hostile` without FSI…PDI around it."""
    failures = []
    for key in sorted(MESSAGES):
        for _, params in samples(key, hostile):
            text = translate_in(key, "ar", CONTEXT, **params)
            template = MESSAGES[key]["ar"]
            shown = [n for n, v in params.items() if v == hostile and f"{{{n}" in template]
            if shown and isolate(hostile) not in text:
                failures.append(f"{key}: {text!r}")
            elif text.count("×") != len(re.findall(LRM + r"[0-9.,]*×", text)):
                failures.append(f"{key}: no LRM before a ×multiplier or dimension: {text!r}")
    return failures
