"""One schema extension instead of five: parsing (with the token limit), validation (with our
rules) and the query's cost, each done once per distinct document and then served from a
bounded LRU.

Strawberry calls every extension's hooks on every request; five extensions that each did one
small thing cost more in hook calls than the cached work they saved. This one keeps their
behaviour: the token limit still refuses a long document before it is parsed (graphql-core
counts tokens while parsing), the validation rules (depth, aliases, cost, and no
introspection in production) still run once per document, and every answer still reports
`extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType as StrawberryOperationType

from graphql_schema.cost import MAX_COST, document_cost

CACHE_SIZE = 512


@lru_cache(maxsize=CACHE_SIZE)
def _parsed(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHE_SIZE)
def _validated(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    return validate(schema, document, rules)


@lru_cache(maxsize=CACHE_SIZE)
def _cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> int | None:
    try:
        return document_cost(schema, document, operation_name)
    except GraphQLError:
        return None


class DocumentCache(SchemaExtension):
    def __init__(self, *, max_tokens: int, rules: Sequence[type[ASTValidationRule]]) -> None:
        super().__init__()
        self.max_tokens = max_tokens
        self.rules = tuple(rules)

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = context.validation_rules + self.rules
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            context.graphql_document = _parsed(context.query, self.max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = _validated(
            context.schema._schema, context.graphql_document, tuple(context.validation_rules)
        )
        yield

    def get_results(self) -> dict[str, Any]:
        """`extensions.cost` for queries and mutations (pushed events are not priced)."""
        context = self.execution_context
        if context.graphql_document is None:
            return {}
        try:
            if context.operation_type is StrawberryOperationType.SUBSCRIPTION:
                return {}
        except RuntimeError:
            return {}
        cost = _cost(context.schema._schema, context.graphql_document, context.operation_name)
        if cost is None:
            return {}
        return {"cost": {"requested": cost, "limit": MAX_COST}}
