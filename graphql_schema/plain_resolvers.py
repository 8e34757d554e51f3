"""Fields whose resolver is a plain method, served by graphql-core without Strawberry's wrapper.

Strawberry resolves a field with a resolver through several layers on every call: an Info
object, argument conversion (for none), the chain of field extensions (empty), then the method.
For a method that takes no GraphQL argument and has no permission class or field extension,
that is all bookkeeping around `method(source)`, `method(source, info=...)` for one that
reads the context. Several such fields run per object in every query (a wallet's balance, a
tier's name), so the schema hands graphql-core a resolver that makes exactly that call, with
the same Info a Strawberry resolver gets. Fields with arguments, permissions or extensions,
mutations and subscriptions keep Strawberry's resolver. Schema extensions that wrap
resolvers (tracing) still do: graphql-core applies them around whichever resolver a field has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.types.field import StrawberryField

BACKREF = "strawberry-definition"
Resolver = Callable[..., Any]


def _plain(field: StrawberryField, make_info: Callable[..., Any]) -> Resolver | None:
    """graphql-core's resolver for `field`, or None when Strawberry's must stay."""
    resolver = field.base_resolver
    if field.extensions or field.arguments or field.is_subscription:
        return None
    if resolver is None:  # an attribute: Strawberry reads it with its default resolver
        read, attribute = field.default_resolver, field.python_name
        return lambda source, info: read(source, attribute)
    if resolver.parent_parameter is not None or resolver.root_parameter is not None:
        return None
    method = resolver.wrapped_func
    if not callable(method):
        return None
    bound = resolver.self_parameter is not None
    info_parameter = resolver.info_parameter
    if info_parameter is None:
        if bound:
            return lambda source, info: method(source)
        return lambda source, info: method()
    name = info_parameter.name

    def with_info(source: Any, info: GraphQLResolveInfo) -> Any:
        wrapped = make_info(_raw_info=info, _field=field)
        return method(source, **{name: wrapped}) if bound else method(**{name: wrapped})

    return with_info


def serve_plain_resolvers(schema: strawberry.Schema, skip: tuple[str, ...]) -> int:
    """Replace the resolvers of plain fields on every object type but `skip`; the count."""
    if schema.schema_converter._exception_handler_specs:
        return 0  # handlers turn exceptions into results inside Strawberry's resolver
    make_info = schema.config.info_class
    replaced = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name in skip:
            continue
        for graphql_field in graphql_type.fields.values():
            field = (graphql_field.extensions or {}).get(BACKREF)
            if not isinstance(field, StrawberryField):
                continue
            plain = _plain(field, make_info)
            if plain is not None:
                graphql_field.resolve = plain
                replaced += 1
    return replaced
