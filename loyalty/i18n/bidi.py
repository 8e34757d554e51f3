"""Bidirectional text in Arabic messages (Unicode Bidirectional Algorithm, UAX #9).

A Latin value (an order id "1001-A", a colour "#FFF", a slug "oud") inside an Arabic sentence
is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: it keeps its own direction
and cannot reorder the Arabic around it, and a paragraph that begins with it still takes
its direction from the Arabic that follows (isolates are skipped when the direction is found).
"""

from __future__ import annotations

import unicodedata
from typing import Final

FSI: Final = "\u2068"  # FIRST STRONG ISOLATE
PDI: Final = "\u2069"  # POP DIRECTIONAL ISOLATE
LRM: Final = "\u200e"  # LEFT-TO-RIGHT MARK: before "×2" and "800×1200" in Arabic
_ISOLATES: Final = frozenset("\u2066\u2067\u2068")


def isolate(value: str) -> str:
    return f"{FSI}{value}{PDI}"


def first_strong(text: str) -> str | None:
    """ "L" or "R" (Arabic counts as R): the paragraph direction rule P2, skipping isolates."""
    for char in outside_isolates(text):
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


def outside_isolates(text: str) -> str:
    """`text` with every isolated run removed (what the sentence itself says)."""
    kept: list[str] = []
    depth = 0
    for char in text:
        if char in _ISOLATES:
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)
