"""The Arabic review harness: every message, rendered the way a shopper reads it, is free of
ISO dates, ISO currency codes, Latin commas, counts dodged with a colon and unisolated Latin
values, and docs/arabic-render.md shows exactly that rendering to the copy editor."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.unit.arabic_render import check, isolation_failures, render_all

PAGE = Path(__file__).resolve().parents[2] / "docs" / "arabic-render.md"
REGENERATE = "LOYALTY_WRITE_ARABIC_RENDER"


def test_every_arabic_message_passes_the_copy_checks() -> None:
    # given every catalog key with counts 0, 1, 2, 3, 11, 100, money, a date and Latin ids
    # when rendered in Arabic
    _, findings = render_all()
    # then nothing a copy editor would refuse is left
    assert [f"{f.key} [{f.label}]: {f.problem}: {f.text!r}" for f in findings] == []


def test_the_review_page_is_up_to_date() -> None:
    # given the rendering of every message
    page, _ = render_all()
    if os.environ.get(REGENERATE) == "1":
        PAGE.parent.mkdir(exist_ok=True)
        PAGE.write_text(page + "\n", encoding="utf-8")
    # then the committed page shows exactly that
    committed = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
    assert committed == page + "\n", (
        f"docs/arabic-render.md is stale: run `{REGENERATE}=1 python3 dev.py test` "
        "(or this test with that variable set) and commit the page"
    )


@pytest.mark.parametrize(
    ("template", "params", "problem"),
    [
        ("تنتهي في {date}.", {"date": "2026-12-09"}, "an ISO date"),
        ("تساوي {worth} SAR.", {"worth": 5}, "an ISO currency code"),
        ("الخطوط: {fonts}، وغيرها, أيضًا.", {"fonts": "x"}, "a Latin comma"),
        ("النقاط المنتهية: {points}.", {"points": 3}, "a colon before the count {points}"),
        ("فترة الإرجاع (بالأيام) {days}.", {"days": 3}, "a count dodged with a phrase"),
        ("الطلب {order_id}", {"order_id": "x"}, "an unisolated Latin value 'A'"),
        ("{order_id} هو رقم الطلب", {"order_id": "x"}, "the line does not start right-to-left"),
    ],
)
def test_the_checks_catch_what_the_review_found(
    template: str, params: dict[str, object], problem: str
) -> None:
    # given a rendering with one of the review's findings (the old catalog's habits)
    rendered = {
        "تنتهي في {date}.": "تنتهي في 2026-12-09.",
        "تساوي {worth} SAR.": "تساوي 5 SAR.",
        "الخطوط: {fonts}، وغيرها, أيضًا.": "الخطوط: \u2068x\u2069، وغيرها, أيضًا.",
        "النقاط المنتهية: {points}.": "النقاط المنتهية: 3 نقاط.",
        "فترة الإرجاع (بالأيام) {days}.": "فترة الإرجاع (بالأيام) 3 أيام.",
        "الطلب {order_id}": "الطلب 1001-A",
        "{order_id} هو رقم الطلب": "1001-A هو رقم الطلب",
    }[template]
    # when checked / then it is refused for that reason
    assert problem in check(template, params, rendered)


@pytest.mark.parametrize("hostile", ["1001-A", "#FFF", "oud"])
def test_hostile_values_are_isolated_in_every_message(hostile: str) -> None:
    # given a Latin value that would reorder an Arabic line (a dash, a leading "#", a word)
    # when every message is rendered in Arabic with it in each text placeholder
    failures = isolation_failures(hostile)
    # then it always sits between FSI and PDI, and every × has an LRM before it
    assert failures == []
