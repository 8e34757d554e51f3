"""The merchant's own name for its points, per language and plural form."""

from __future__ import annotations

import strawberry

from loyalty import program as domain
from loyalty import program_texts
from loyalty.i18n import PointsNames, format_points, points_word


def points_names(program: domain.Program) -> PointsNames | None:
    return program_texts.points_names(program)


@strawberry.type(description="The merchant's own name for its points, in the request language.")
class PointsName:
    _program: strawberry.Private[domain.Program]
    _locale: strawberry.Private[str]

    def _word(self, category: str) -> str:
        return points_word(category, self._locale, points_names(self._program))

    @strawberry.field(description='Word for one, e.g. "point" / "نقطة".')
    def one(self) -> str:
        return self._word("one")

    @strawberry.field(description='Word for two (Arabic dual), e.g. "نقطتان".')
    def two(self) -> str:
        return self._word("two")

    @strawberry.field(description='Word for 3-10 in Arabic, e.g. "نقاط".')
    def few(self) -> str:
        return self._word("few")

    @strawberry.field(description='Word for 11-99 in Arabic, e.g. "نقطة".')
    def many(self) -> str:
        return self._word("many")

    @strawberry.field(description='The general plural, e.g. "points".')
    def other(self) -> str:
        return self._word("other")

    @strawberry.field(description='A count with the right plural form, e.g. "3 نقاط".')
    def format(self, count: int) -> str:
        return format_points(count, self._locale, points_names(self._program))


@strawberry.input
class PointsNameFormsInput:
    """Words per CLDR plural category; `other` is required, missing categories use it."""

    other: str
    zero: str | None = None
    one: str | None = None
    two: str | None = None
    few: str | None = None
    many: str | None = None

    def to_dict(self) -> dict[str, str]:
        forms = {
            "zero": self.zero,
            "one": self.one,
            "two": self.two,
            "few": self.few,
            "many": self.many,
            "other": self.other,
        }
        return {k: v for k, v in forms.items() if v is not None}


@strawberry.input
class PointsNameInput:
    ar: PointsNameFormsInput
    en: PointsNameFormsInput
