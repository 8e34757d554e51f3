"""Theme validation: every problem reported at once, with its exact code, field and params."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from loyalty.errors import DomainError, DomainErrors, ErrorCode
from loyalty.i18n import translate
from loyalty.theme import DEFAULT_SPEC, content_digest, default_theme
from loyalty.theme_rules import validate_theme


def light(**changes: str | None) -> dict[str, str | None]:
    colors: dict[str, str | None] = dict(asdict(DEFAULT_SPEC.colors))
    colors.update(changes)
    return colors


def problems(
    colors: dict[str, str | None],
    dark: dict[str, str | None] | None = None,
    font: str | None = None,
    radius: int | None = None,
    logo: str | None = None,
) -> list[DomainError]:
    with pytest.raises(DomainErrors) as caught:
        validate_theme(colors, dark, font, radius, logo)
    return list(caught.value.errors)


def test_valid_theme_is_normalised() -> None:
    spec = validate_theme(
        light(primary="#1f4e79", accent="#ff880080"), None, " ibm plex  sans arabic ", 12, None
    )
    assert spec.colors.primary == "#1F4E79"
    assert spec.colors.accent == "#FF880080"
    assert spec.font_family == "IBM Plex Sans Arabic"
    assert spec.corner_radius == 12
    assert spec.dark_colors is None


def test_low_contrast_reports_ratio_and_suggestion() -> None:
    [error] = problems(light(background="#FFFFFF", on_background="#777777"))
    assert error.code is ErrorCode.LOW_CONTRAST
    assert error.field == ("input", "colors", "onBackground")
    assert error.params == {
        "foreground": "#777777",
        "background": "#FFFFFF",
        "ratio": "4.48",
        "minimum": "4.5",
        "suggestion": "#767676",
    }
    assert translate("error.LOW_CONTRAST", "en", **error.params) == (
        "Text #777777 on #FFFFFF has a contrast of only 4.48:1; at least 4.5:1 is required"
        " (WCAG 2.1 AA). Try #767676."
    )
    assert "4.48:1" in translate("error.LOW_CONTRAST", "ar", **error.params)


def test_every_failing_pair_in_light_and_dark_is_reported() -> None:
    dark = dict(asdict(DEFAULT_SPEC.dark_colors or DEFAULT_SPEC.colors))
    dark["on_surface"] = dark["surface"]
    errors = problems(light(on_primary="#FFFFFF", primary="#FFFF00", on_secondary="#2E7D32"), dark)
    assert [(e.code, e.field) for e in errors] == [
        (ErrorCode.LOW_CONTRAST, ("input", "colors", "onPrimary")),
        (ErrorCode.LOW_CONTRAST, ("input", "colors", "onSecondary")),
        (ErrorCode.LOW_CONTRAST, ("input", "darkColors", "onSurface")),
    ]


@pytest.mark.parametrize("bad", ["red", "#FFF", "1F4E79", "#1F4E7", "#1F4E79GG"])
def test_malformed_colors_are_refused(bad: str) -> None:
    [error] = problems(light(primary=bad))
    assert (error.code, error.field) == (ErrorCode.INVALID_COLOR, ("input", "colors", "primary"))
    assert error.params == {"value": bad}


def test_optional_colors_are_checked_too() -> None:
    [error] = problems(light(accent="orange"))
    assert (error.code, error.field) == (ErrorCode.INVALID_COLOR, ("input", "colors", "accent"))


def test_font_must_render_arabic_and_latin() -> None:
    [error] = problems(light(), font="Helvetica")
    assert (error.code, error.field) == (ErrorCode.UNSUPPORTED_FONT, ("input", "fontFamily"))
    assert "Cairo" in str(error.params["allowed"])


@pytest.mark.parametrize("radius", [-1, 33, 10_000])
def test_corner_radius_range(radius: int) -> None:
    [error] = problems(light(), radius=radius)
    assert (error.code, error.field) == (ErrorCode.OUT_OF_RANGE, ("input", "cornerRadius"))
    assert error.params == {"min": 0, "max": 32}


@pytest.mark.parametrize(
    "url",
    [
        "http://cdn.example.com/logo.png",
        "https://",
        "javascript:alert(1)",
        "ftp://x/y.png",
        "https://cdn.example.com/a b.png",
        "https://x/" + "a" * 3000,
    ],
)
def test_logo_must_be_https(url: str) -> None:
    [error] = problems(light(), logo=url)
    assert (error.code, error.field) == (ErrorCode.INSECURE_URL, ("input", "logoUrl"))


def test_all_kinds_of_problems_come_back_together() -> None:
    errors = problems(light(primary="blue"), font="Comic Sans", radius=99, logo="http://x")
    assert [e.code for e in errors] == [
        ErrorCode.INVALID_COLOR,
        ErrorCode.UNSUPPORTED_FONT,
        ErrorCode.OUT_OF_RANGE,
        ErrorCode.INSECURE_URL,
    ]


def test_default_theme_is_compliant_and_unpublished() -> None:
    theme = default_theme("acme")
    assert (theme.version, theme.published_at) == (0, None)
    dark = theme.spec.dark_colors
    assert dark is not None
    assert validate_theme(asdict(theme.spec.colors), asdict(dark), None, None, None) == theme.spec


def test_digest_changes_with_content_only() -> None:
    same = content_digest(DEFAULT_SPEC, ())
    assert same == content_digest(DEFAULT_SPEC, ())
    other = validate_theme(light(primary="#123456"), None, None, None, None)
    assert content_digest(other, ()) != same


def test_missing_required_color_is_refused() -> None:
    colors = light()
    del colors["surface"]
    [error] = problems(colors)
    assert (error.code, error.field) == (ErrorCode.INVALID_COLOR, ("input", "colors", "surface"))
