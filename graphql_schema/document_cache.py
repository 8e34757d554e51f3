"""One schema extension instead of five: parsing (with the token limit), validation (with our
rules) and the query's cost, each done once per distinct query text and then served from a
bounded LRU.

Strawberry calls every extension's hooks on every request; five extensions that each did one
small thing cost more in hook calls than the cached work they saved. This one keeps their
behaviour: the token limit still refuses a long document before it is parsed (graphql-core
counts tokens while parsing), the validation rules (depth, aliases, cost, and no
introspection in production) still run once per document, and every answer still reports
`extensions.cost`.

The cache is keyed by the query text (a string hashes once and keeps its hash), never by the
parsed document: an AST node hashes every node below it, on every lookup. A known query is
handed to Strawberry already parsed and validated from `on_operation`, so its parsing and
validation stages find nothing left to do and this extension needs no hook there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    parse,
    specified_rules,
    validate,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType as StrawberryOperationType

from graphql_schema.cost import MAX_COST, document_cost

CACHE_SIZE = 512
_UNPRICED = object()


class KnownDocument:
    """A query text that parsed, with what was worked out about it so far."""

    __slots__ = ("_costs", "_errors", "document")

    def __init__(self, document: DocumentNode) -> None:
        self.document = document
        self._errors: dict[tuple[type[ASTValidationRule], ...], list[GraphQLError]] = {}
        self._costs: dict[str | None, int | None] = {}

    def errors(
        self, schema: GraphQLSchema, rules: tuple[type[ASTValidationRule], ...]
    ) -> list[GraphQLError]:
        found = self._errors.get(rules)
        if found is None:
            found = self._errors[rules] = validate(schema, self.document, rules)
        return found

    def cost(self, schema: GraphQLSchema, operation_name: str | None) -> int | None:
        found = self._costs.get(operation_name, _UNPRICED)
        if found is _UNPRICED:
            try:
                found = document_cost(schema, self.document, operation_name)
            except GraphQLError:
                found = None
            self._costs[operation_name] = found
        assert found is None or isinstance(found, int)
        return found


@lru_cache(maxsize=CACHE_SIZE)
def _known(query: str, max_tokens: int) -> KnownDocument:
    return KnownDocument(parse(query, max_tokens=max_tokens))


def known_document(query: str, max_tokens: int) -> KnownDocument | None:
    """The cached parse of `query`, or None when it does not parse (never cached: Strawberry
    parses it again and answers the syntax or token-limit error)."""
    try:
        return _known(query, max_tokens)
    except GraphQLError:
        return None


class DocumentCache(SchemaExtension):
    def __init__(self, *, max_tokens: int, rules: Sequence[type[ASTValidationRule]]) -> None:
        super().__init__()
        self.max_tokens = max_tokens
        self.rules = (*specified_rules, *rules)
        self.known: KnownDocument | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = self.rules
        context.parse_options = {"max_tokens": self.max_tokens}
        if context.query is not None and context.graphql_document is None:
            self.known = known_document(context.query, self.max_tokens)
            if self.known is not None:
                context.graphql_document = self.known.document
                context.pre_execution_errors = self.known.errors(context.schema._schema, self.rules)
        yield

    def get_results(self) -> dict[str, Any]:
        """`extensions.cost` for queries and mutations (pushed events are not priced)."""
        context, known = self.execution_context, self.known
        if known is None or context.graphql_document is not known.document:
            return {}
        try:
            if context.operation_type is StrawberryOperationType.SUBSCRIPTION:
                return {}
        except RuntimeError:
            return {}
        cost = known.cost(context.schema._schema, context.operation_name)
        if cost is None:
            return {}
        return {"cost": {"requested": cost, "limit": MAX_COST}}
