"""Colours and WCAG 2.1 contrast: parsing `#RRGGBB[AA]`, contrast ratios, compliant suggestions.

Contrast follows WCAG 2.1 (relative luminance of sRGB, ratio (L1 + 0.05) / (L2 + 0.05)). A
translucent colour is first composited over what lies beneath it, because that is what the
shopper actually sees: text over its background, a background over the page (white in light
mode, black in dark mode).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

AA_NORMAL_TEXT: Final = 4.5

_HEX = re.compile(r"#([0-9A-Fa-f]{6})([0-9A-Fa-f]{2})?")


@dataclass(frozen=True)
class Rgba:
    r: int
    g: int
    b: int
    a: int = 255

    def hex(self) -> str:
        """`#RRGGBB` (upper case); translucent colours keep their alpha as `#RRGGBBAA`."""
        base = f"#{self.r:02X}{self.g:02X}{self.b:02X}"
        return base if self.a == 255 else f"{base}{self.a:02X}"


WHITE: Final = Rgba(255, 255, 255)
BLACK: Final = Rgba(0, 0, 0)


def parse_color(text: str) -> Rgba | None:
    """`#RRGGBB` or `#RRGGBBAA`, any case; None for anything else (no names, no `#RGB`)."""
    match = _HEX.fullmatch(text.strip())
    if match is None:
        return None
    rgb, alpha = match.group(1), match.group(2)
    return Rgba(int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16), int(alpha or "FF", 16))


def normalize_color(text: str) -> str | None:
    color = parse_color(text)
    return None if color is None else color.hex()


def composite(top: Rgba, under: Rgba) -> Rgba:
    """`top` painted over the opaque `under` (source-over)."""
    alpha = top.a / 255

    def channel(fg: int, bg: int) -> int:
        return round(fg * alpha + bg * (1 - alpha))

    return Rgba(channel(top.r, under.r), channel(top.g, under.g), channel(top.b, under.b))


def _linear(channel: int) -> float:
    value = channel / 255
    # 0.04045 is the sRGB breakpoint; WCAG 2.1's 0.03928 differs only for values that never
    # occur in 8-bit colour, so both give identical ratios here.
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: Rgba) -> float:
    return 0.2126 * _linear(color.r) + 0.7152 * _linear(color.g) + 0.0722 * _linear(color.b)


def contrast_ratio(text: Rgba, background: Rgba, page: Rgba = WHITE) -> float:
    """The ratio between 1 and 21 for `text` over `background` (itself over `page`)."""
    solid_background = composite(background, page)
    solid_text = composite(text, solid_background)
    lighter, darker = sorted(
        (relative_luminance(solid_text), relative_luminance(solid_background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio: float, minimum: float = AA_NORMAL_TEXT) -> str:
    """Two decimals ("4.48" for 4.478), except that a failing ratio is rounded down when
    rounding would make it read as passing (4.497 is "4.49", never "4.50")."""
    rounded = round(ratio, 2)
    if ratio < minimum <= rounded:
        rounded = math.floor(ratio * 100) / 100
    return f"{rounded:.2f}"


def _mix(color: Rgba, target: Rgba, step: int) -> Rgba:
    def channel(a: int, b: int) -> int:
        return round(a + (b - a) * step / 255)

    return Rgba(channel(color.r, target.r), channel(color.g, target.g), channel(color.b, target.b))


def suggest_text_color(
    text: Rgba, background: Rgba, page: Rgba = WHITE, minimum: float = AA_NORMAL_TEXT
) -> Rgba:
    """The compliant colour closest to `text`: the smallest darkening or lightening (towards
    black or white, keeping the hue) that reaches `minimum`. One of black and white always
    reaches 4.5:1 against any background, so there is always an answer."""
    solid_background = composite(background, page)
    opaque_text = composite(text, solid_background)
    best: tuple[int, Rgba] | None = None
    for target in (BLACK, WHITE):
        for step in range(256):
            candidate = _mix(opaque_text, target, step)
            if contrast_ratio(candidate, solid_background) >= minimum:
                if best is None or step < best[0]:
                    best = (step, candidate)
                break
    assert best is not None  # black or white always passes 4.5:1
    return best[1]
