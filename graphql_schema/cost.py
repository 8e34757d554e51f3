"""Query cost: a static price for a document, refused above a limit, reported in every answer.

Like Shopify's calculated cost: every field that returns an object costs 1, and a field with a
`first` argument multiplies what is below it by that number (the literal, the variable's
default, or the largest page when the variable has none: the price must not depend on the
variables, so the validation cache stays keyed by the document alone). Scalars are free.
A subscription is priced like a query (each event it pushes runs its selection) and refused
above the same limit; its events do not report the price.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)

from graphql_schema.common import DEFAULT_PAGE, MAX_PAGE

MAX_COST = 1000


def page_literal(value: IntValueNode) -> int | None:
    """A literal page size the API accepts (1 to MAX_PAGE), else None: a 5,000-digit
    literal must never reach int(), which refuses more than 4,300 digits."""
    text = value.value
    if len(text) > len(str(MAX_PAGE)):
        return None
    size = int(text)
    return size if 1 <= size <= MAX_PAGE else None


def _first(
    node: FieldNode, defaults: dict[str, int], out_of_range: list[IntValueNode]
) -> int | None:
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            size = page_literal(value)
            if size is None:
                out_of_range.append(value)
                return MAX_PAGE
            return size
        if isinstance(value, VariableNode):
            return defaults.get(value.name.value, MAX_PAGE)
    return None


class _Pricer:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.defaults: dict[str, int] = {}
        # `first` literals (and Int variable defaults) outside 1..MAX_PAGE, priced at MAX_PAGE:
        # the client is told its page size is wrong rather than that the query costs too much.
        self.out_of_range: list[IntValueNode] = []

    def operation(self, operation: OperationDefinitionNode) -> int:
        self.defaults = {}
        for v in operation.variable_definitions or ():
            if isinstance(v.default_value, IntValueNode):
                size = page_literal(v.default_value)
                if size is None and v.variable.name.value in _first_variables(operation):
                    self.out_of_range.append(v.default_value)
                self.defaults[v.variable.name.value] = size or MAX_PAGE
        root = self.schema.get_root_type(operation.operation)
        return self.selections(root, operation.selection_set, frozenset())

    def selections(
        self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode, seen: frozenset[str]
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(target, selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # unknown or cyclic: validation reports it
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selections(target, fragment.selection_set, seen | {name})
        return total

    def field(self, parent: GraphQLNamedType | None, node: FieldNode, seen: frozenset[str]) -> int:
        if node.selection_set is None:
            return 0  # scalars and enums are free
        fields: dict[str, Any] = getattr(parent, "fields", {}) if parent is not None else {}
        definition = fields.get(node.name.value)
        child = get_named_type(definition.type) if definition is not None else None
        multiplier = _first(node, self.defaults, self.out_of_range)
        if multiplier is None:
            paged = definition is not None and "first" in definition.args
            multiplier = DEFAULT_PAGE if paged else 1
        return 1 + multiplier * self.selections(child, node.selection_set, seen)


def _first_variables(operation: OperationDefinitionNode) -> set[str]:
    """Names of the variables passed as some field's `first` in the operation."""
    names: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                for argument in selection.arguments or ():
                    if argument.name.value == "first" and isinstance(argument.value, VariableNode):
                        names.add(argument.value.name.value)
            walk(getattr(selection, "selection_set", None))

    walk(operation.selection_set)
    return names


def document_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None = None
) -> int:
    """The price of the operation that would run (the dearest one when the name is unknown)."""
    pricer = _Pricer(schema, document)
    costs = [
        pricer.operation(d)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name is not None and d.name.value == operation_name))
    ]
    return max(costs, default=0)


class QueryCostRule(ValidationRule):
    """A module-level class (not built per request) so the validation cache can hit."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        # Subscriptions too: each pushed event runs the whole selection again.
        pricer = _Pricer(self.context.schema, self.context.document)
        cost = pricer.operation(node)
        if pricer.out_of_range:
            for value in pricer.out_of_range:
                self.report_error(
                    GraphQLError(
                        f"first must be between 1 and {MAX_PAGE}.",
                        value,
                        extensions={"code": "OUT_OF_RANGE", "min": 1, "max": MAX_PAGE},
                    )
                )
            return
        if cost > MAX_COST:
            self.report_error(
                GraphQLError(
                    f"Query cost {cost} exceeds the limit of {MAX_COST}.",
                    node,
                    extensions={
                        "code": "QUERY_TOO_COMPLEX",
                        "cost": {"requested": cost, "limit": MAX_COST},
                    },
                )
            )


__all__ = ["MAX_COST", "QueryCostRule", "document_cost"]
