"""Plain fields go straight to graphql-core with the answers Strawberry's resolver gave:
arguments under their Python names (absent ones take the method's default), the same Info,
and permissions, input arguments and mutations left to Strawberry."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission

from graphql_schema.plain_resolvers import serve_plain_resolvers


class Never(BasePermission):
    message = "never"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.input
class Step:
    size: int


@strawberry.type
class Thing:
    base: strawberry.Private[int]
    label: str

    @strawberry.field
    def doubled(self) -> int:
        return self.base * 2

    @strawberry.field
    def plus(self, amount: int = 1, extra_amount: int | None = None) -> int:
        return self.base + amount + (extra_amount or 0)

    @strawberry.field
    def caller(self, info: strawberry.Info) -> str:
        return f"{info.context['caller']}:{info.field_name}"

    @strawberry.field
    def stepped(self, step: Step) -> int:
        return self.base + step.size

    @strawberry.field(permission_classes=[Never])
    def secret(self) -> int:
        return 42


@strawberry.type
class Query:
    @strawberry.field
    def thing(self) -> Thing:
        return Thing(base=10, label="ten")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self) -> int:
        return 1


def plain_schema() -> tuple[strawberry.Schema, int]:
    schema = strawberry.Schema(query=Query, mutation=Mutation)
    return schema, serve_plain_resolvers(schema, skip=("Mutation",))


def test_plain_fields_are_replaced_and_the_others_kept() -> None:
    # when
    schema, replaced = plain_schema()
    # then: thing, label, doubled, plus, caller and secret (its permission checked as
    # Strawberry checks it); not stepped (an input argument) nor the mutation
    fields = schema._schema.type_map["Thing"].fields
    plain = {
        name
        for name, field in fields.items()
        if field.resolve.__module__.endswith("plain_resolvers")
    }
    assert (replaced, plain) == (6, {"label", "doubled", "plus", "caller", "secret"})
    mutation = schema._schema.type_map["Mutation"].fields["touch"]
    assert not mutation.resolve.__module__.endswith("plain_resolvers")


def test_plain_fields_answer_as_strawberry_did() -> None:
    # given
    schema, _ = plain_schema()
    query = (
        "{ thing { label doubled plus a: plus(amount: 5) b: plus(amount: 2, extraAmount: 3)"
        " caller stepped(step: {size: 4}) } }"
    )
    # when
    result = schema.execute_sync(query, context_value={"caller": "c-1"})
    # then
    assert result.errors is None
    assert result.data == {
        "thing": {
            "label": "ten",
            "doubled": 20,
            "plus": 11,
            "a": 15,
            "b": 15,
            "caller": "c-1:caller",
            "stepped": 14,
        }
    }


def test_a_permission_still_refuses() -> None:
    # given
    schema, _ = plain_schema()
    # when
    result = schema.execute_sync("{ thing { secret } }")
    # then
    assert result.data is None
    assert [error.message for error in result.errors or []] == ["never"]
