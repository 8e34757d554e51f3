"""Parsing (with the token limit), validation (with our rules) and the query's cost, each done
once per distinct query text and then served from a bounded LRU.

They used to be five schema extensions, then one: Strawberry calls every extension's hooks on
every request, and builds a context manager and an exit stack per stage even around none. Now
the schema itself hands each operation its document already parsed and validated, and its
price in `extensions.cost`, when it creates the operation's execution context; Strawberry's
parsing and validation stages then find nothing left to do, and with no schema extension
(tracing off) its stages run no machinery at all. The behaviour is the extensions': the token
limit still refuses a long document before it is parsed (graphql-core counts tokens while
parsing), the rules (depth, aliases, cost, and no introspection in production) still run once
per document, and every answer to a query or mutation reports `extensions.cost`.

The cache is keyed by the query text (a string hashes once and keeps its hash), never by the
parsed document: an AST node hashes every node below it, on every lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import strawberry
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
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.types import ExecutionContext
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


class _Quiet:
    """A stage with no extension hook to run: entered and left for nothing."""

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


QUIET = _Quiet()


class QuietRunner(SchemaExtensionsRunner):
    """Strawberry's runner for a request without schema extensions (tracing off): each stage
    used to build a context manager and an exit stack around no hooks at all."""

    def operation(self) -> Any:
        return QUIET

    def validation(self) -> Any:
        return QUIET

    def parsing(self) -> Any:
        return QUIET

    def executing(self) -> Any:
        return QUIET

    def get_extensions_results_sync(self) -> dict[str, Any]:
        return dict(self.execution_context.extensions_results)


STRAWBERRY_RULES: tuple[type[ASTValidationRule], ...] = (
    MaybeNullValidationRule,
    OneOfInputValidationRule,
)


class DocumentCachingSchema(strawberry.Schema):
    """Strawberry's schema, handing each operation its document already parsed, validated
    and priced from the cache. `use_documents` sets the token limit and our rules (depth,
    aliases, cost, and no introspection in production)."""

    max_tokens: int | None = None
    # Strawberry's own rules too: a `Maybe[str]` input field refused an explicit null only at
    # execution, with no error code.
    document_rules: tuple[type[ASTValidationRule], ...] = (*specified_rules, *STRAWBERRY_RULES)

    def use_documents(self, *, max_tokens: int, rules: Sequence[type[ASTValidationRule]]) -> None:
        self.max_tokens = max_tokens
        self.document_rules = (*specified_rules, *STRAWBERRY_RULES, *rules)

    def _create_execution_context(self, *args: Any, **kwargs: Any) -> ExecutionContext:
        context = super()._create_execution_context(*args, **kwargs)
        context.validation_rules = self.document_rules
        if self.max_tokens is None:
            return context
        context.parse_options = {"max_tokens": self.max_tokens}
        if context.query is None or context.graphql_document is not None:
            return context
        known = known_document(context.query, self.max_tokens)
        if known is None:
            return context  # Strawberry parses it and answers the syntax or token-limit error
        context.graphql_document = known.document
        context.pre_execution_errors = known.errors(self._schema, self.document_rules)
        cost = _reported_cost(known, context, self._schema)
        if cost is not None:
            context.extensions_results["cost"] = {"requested": cost, "limit": MAX_COST}
        return context

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        if extensions:
            return super().create_extensions_runner(execution_context, extensions)
        return QuietRunner(execution_context=execution_context, extensions=[])


def _reported_cost(
    known: KnownDocument, context: ExecutionContext, schema: GraphQLSchema
) -> int | None:
    """`extensions.cost` for queries and mutations (pushed events are not priced)."""
    try:
        if context.operation_type is StrawberryOperationType.SUBSCRIPTION:
            return None
    except RuntimeError:  # no such operation: Strawberry answers that
        return None
    return known.cost(schema, context.operation_name)
