"""Validation of a theme as the merchant submits it: every problem found, each with its field.

All errors are collected (not just the first) so a merchant fixing a palette sees every
failing colour pair at once, each with the measured ratio and a compliant suggestion.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Final

from loyalty.contrast import (
    AA_NORMAL_TEXT,
    BLACK,
    WHITE,
    Rgba,
    contrast_ratio,
    format_ratio,
    parse_color,
    suggest_text_color,
)
from loyalty.errors import DomainError, DomainErrors, ErrorCode
from loyalty.theme import ThemeColors, ThemeSpec
from loyalty.urls import is_https_url

# Families that carry both Arabic and Latin glyphs (Google Fonts, arabic + latin subsets), so
# a shopper's mixed-script text (a Latin brand name inside an Arabic sentence) never falls
# back to a mismatched system font.
FONT_ALLOW_LIST: Final = (
    "Alexandria",
    "Almarai",
    "Amiri",
    "Baloo Bhaijaan 2",
    "Cairo",
    "Changa",
    "El Messiri",
    "IBM Plex Sans Arabic",
    "Markazi Text",
    "Readex Pro",
    "Rubik",
    "Tajawal",
)
_FONTS_BY_KEY: Final = {font.casefold(): font for font in FONT_ALLOW_LIST}

MIN_CORNER_RADIUS: Final = 0
MAX_CORNER_RADIUS: Final = 32


REQUIRED_COLORS: Final = frozenset(f.name for f in fields(ThemeColors) if f.default is not None)

# (text colour, its background) pairs that must be legible; GraphQL names for the fields.
CONTRAST_PAIRS: Final = (
    ("on_primary", "primary"),
    ("on_secondary", "secondary"),
    ("on_background", "background"),
    ("on_surface", "surface"),
)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _colors(
    raw: dict[str, str | None], group: str, page: Rgba, errors: list[DomainError]
) -> ThemeColors | None:
    parsed: dict[str, Rgba | None] = {}
    for spec_field in fields(ThemeColors):
        text = raw.get(spec_field.name)
        if text is None and spec_field.name not in REQUIRED_COLORS:
            parsed[spec_field.name] = None
            continue
        color = parse_color(text or "")
        if color is None:
            errors.append(
                DomainError(
                    ErrorCode.INVALID_COLOR,
                    ("input", group, camel(spec_field.name)),
                    value=(text or "")[:20],
                )
            )
        parsed[spec_field.name] = color
    for text_name, background_name in CONTRAST_PAIRS:
        text_color, background = parsed.get(text_name), parsed.get(background_name)
        if text_color is None or background is None:
            continue
        ratio = contrast_ratio(text_color, background, page)
        if ratio < AA_NORMAL_TEXT:
            errors.append(
                DomainError(
                    ErrorCode.LOW_CONTRAST,
                    ("input", group, camel(text_name)),
                    foreground=text_color.hex(),
                    background=background.hex(),
                    ratio=format_ratio(ratio),
                    minimum=f"{AA_NORMAL_TEXT}",
                    suggestion=suggest_text_color(text_color, background, page).hex(),
                )
            )
    if any(color is None and raw.get(name) is not None for name, color in parsed.items()):
        return None
    hexes = {name: None if c is None else c.hex() for name, c in parsed.items()}
    return ThemeColors(**hexes)  # type: ignore[arg-type]  # every required one is set here


def _font(value: str | None, errors: list[DomainError]) -> str | None:
    if value is None:
        return None
    font = _FONTS_BY_KEY.get(" ".join(value.split()).casefold())
    if font is None:
        errors.append(
            DomainError(
                ErrorCode.UNSUPPORTED_FONT,
                ("input", "fontFamily"),
                font=value[:60],
                allowed=tuple(FONT_ALLOW_LIST),  # joined per language: "، " or ", "
            )
        )
    return font


def _radius(value: int | None, errors: list[DomainError]) -> None:
    if value is not None and not MIN_CORNER_RADIUS <= value <= MAX_CORNER_RADIUS:
        errors.append(
            DomainError(
                ErrorCode.OUT_OF_RANGE,
                ("input", "cornerRadius"),
                min=MIN_CORNER_RADIUS,
                max=MAX_CORNER_RADIUS,
            )
        )


def _logo(value: str | None, errors: list[DomainError]) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not is_https_url(value):
        errors.append(DomainError(ErrorCode.INSECURE_URL, ("input", "logoUrl")))
    return value


def validate_theme(
    colors: dict[str, str | None],
    dark_colors: dict[str, str | None] | None,
    font_family: str | None,
    corner_radius: int | None,
    logo_url: str | None,
) -> ThemeSpec:
    """The normalised spec, or DomainErrors listing every problem."""
    errors: list[DomainError] = []
    light = _colors(colors, "colors", WHITE, errors)
    dark = _colors(dark_colors, "darkColors", BLACK, errors) if dark_colors is not None else None
    font = _font(font_family, errors)
    _radius(corner_radius, errors)
    logo = _logo(logo_url, errors)
    if errors:
        raise DomainErrors(errors)
    assert light is not None
    return ThemeSpec(
        colors=light,
        dark_colors=dark,
        font_family=font,
        corner_radius=corner_radius,
        logo_url=logo,
    )
