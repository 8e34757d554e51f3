"""The "how our points work" page."""

from __future__ import annotations

import strawberry

from graphql_schema.points_name import points_names
from loyalty import explainer
from loyalty import program as domain

strawberry.enum(explainer.ExplainerSectionKind, name="ExplainerSectionKind")
ExplainerSectionKind = explainer.ExplainerSectionKind


@strawberry.type(description="One part of the explainer, ready to render as a heading and lines.")
class ExplainerSection:
    kind: ExplainerSectionKind
    title: str
    lines: list[str]


@strawberry.type(description='The "how our points work" page, in the request language.')
class RewardsExplainer:
    title: str
    sections: list[ExplainerSection]

    @classmethod
    def of(cls, program: domain.Program, locale: str) -> RewardsExplainer:
        built = explainer.explain(program, locale, points_names(program))
        return cls(
            title=built.title,
            sections=[
                ExplainerSection(kind=s.kind, title=s.title, lines=list(s.lines))
                for s in built.sections
            ],
        )
