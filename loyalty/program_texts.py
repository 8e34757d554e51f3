"""How a program's texts read: its own word for points and its time zone for dates."""

from __future__ import annotations

from loyalty.i18n import PointsNames
from loyalty.i18n.render import MessageContext
from loyalty.program import Program


def points_names(program: Program) -> PointsNames | None:
    """The merchant's words for points, or None for the default "نقطة" / "point"."""
    ar, en = program.points_name.ar, program.points_name.en
    if not (ar.get("other") and en.get("other")):
        return None
    return PointsNames(ar=ar, en=en)


def message_context(program: Program, timezone: str | None = None) -> MessageContext:
    """Dates in `timezone` (a member's device's) or else the program's zone."""
    return MessageContext(points_names(program), timezone or program.timezone)
