"""WCAG 2.1 contrast math: parsing, exact ratios, compositing and compliant suggestions."""

from __future__ import annotations

import pytest

from loyalty.contrast import (
    BLACK,
    WHITE,
    Rgba,
    composite,
    contrast_ratio,
    format_ratio,
    normalize_color,
    parse_color,
    suggest_text_color,
)


def color(text: str) -> Rgba:
    parsed = parse_color(text)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#ff8800", "#FF8800"),
        ("  #Ff8800  ", "#FF8800"),
        ("#FF880080", "#FF880080"),
        ("#FF8800FF", "#FF8800"),
    ],
)
def test_parse_and_normalise_hex_colors(text: str, expected: str) -> None:
    assert normalize_color(text) == expected


@pytest.mark.parametrize("text", ["red", "#FFF", "FF8800", "#GG8800", "#FF88001", "#FF8800 00", ""])
def test_anything_but_rrggbb_or_rrggbbaa_is_refused(text: str) -> None:
    assert parse_color(text) is None


@pytest.mark.parametrize(
    ("text", "background", "ratio"),
    [
        ("#777777", "#FFFFFF", "4.48"),
        ("#767676", "#FFFFFF", "4.54"),
        ("#000000", "#FFFFFF", "21.00"),
        ("#FFFFFF", "#FFFFFF", "1.00"),
        ("#FFFFFF", "#FF0000", "4.00"),
        ("#FFFFFF", "#1F4E79", "8.66"),
    ],
)
def test_exact_ratios(text: str, background: str, ratio: str) -> None:
    assert format_ratio(contrast_ratio(color(text), color(background))) == ratio


def test_ratio_is_symmetric() -> None:
    assert contrast_ratio(color("#777777"), WHITE) == contrast_ratio(WHITE, color("#777777"))


def test_a_failing_ratio_never_reads_as_passing() -> None:
    assert format_ratio(4.4999) == "4.49"
    assert format_ratio(4.478) == "4.48"
    assert format_ratio(4.5) == "4.50"


def test_translucent_text_is_measured_over_its_background() -> None:
    # 50% black over white is #808080 (rounded), which fails AA.
    assert composite(color("#00000080"), WHITE) == Rgba(127, 127, 127)
    assert format_ratio(contrast_ratio(color("#00000080"), WHITE)) == "4.00"


def test_translucent_background_is_measured_over_the_page() -> None:
    # A fully transparent background shows the page: white text on it is invisible on white
    # and perfect on black.
    clear = color("#00000000")
    assert contrast_ratio(WHITE, clear, page=WHITE) == 1.0
    assert contrast_ratio(WHITE, clear, page=BLACK) == 21.0


def test_suggestion_is_the_closest_compliant_shade() -> None:
    assert suggest_text_color(color("#777777"), WHITE).hex() == "#767676"
    assert suggest_text_color(color("#FFFF00"), WHITE).hex() == "#7A7A00"


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("#FFFFFF", "#FF0000"),
        ("#777777", "#777777"),
        ("#FFFFFF", "#FFFFFF"),
        ("#000000", "#000000"),
    ],
)
def test_suggestion_always_passes(text: str, background: str) -> None:
    suggestion = suggest_text_color(color(text), color(background))
    assert contrast_ratio(suggestion, color(background)) >= 4.5
