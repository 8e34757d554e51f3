"""Fields whose resolver is a plain method, served by graphql-core without Strawberry's wrapper.

Strawberry resolves a field with a resolver through several layers on every call: an Info
object, argument conversion, the chain of field extensions (empty), then the method. For a
method with no permission class or field extension whose GraphQL arguments are built-in
scalars (which graphql-core has already coerced to the Python values Strawberry would pass),
that is all bookkeeping around `method(source, **arguments)`, plus `info=...` for one that
reads the context. Several such fields run per object in every query (a wallet's balance, a
tier's name), so the schema hands graphql-core a resolver that makes exactly that call, with
the same Info a Strawberry resolver gets and the arguments under their Python names (absent
ones stay absent, so the method's defaults apply as they did). Attributes are read as
Strawberry reads them. Fields with other arguments (inputs, enums, `Maybe`), permissions or
extensions, mutations and subscriptions keep Strawberry's resolver. Schema extensions that
wrap resolvers (tracing) still do: graphql-core applies them around whichever resolver a
field has.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLField, GraphQLObjectType, GraphQLResolveInfo
from strawberry.permission import PermissionExtension
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

BACKREF = "strawberry-definition"
Resolver = Callable[..., Any]
# Argument types graphql-core hands over exactly as Strawberry's conversion would leave them.
PLAIN_SCALARS = (int, str, float, bool, strawberry.ID)


def _plain_argument(argument: Any) -> str | None:
    """The Python name of an argument passed on as it comes, else None."""
    if not isinstance(argument, StrawberryArgument) or argument.python_name is None:
        return None
    kind = argument.type
    if type(kind) is StrawberryOptional:  # not Maybe, a subclass that wraps values in Some
        kind = kind.of_type
    return argument.python_name if kind in PLAIN_SCALARS else None


def _arguments(graphql_field: GraphQLField) -> dict[str, str] | None:
    """GraphQL argument names to Python ones, or None if one needs Strawberry's conversion."""
    names: dict[str, str] = {}
    for graphql_name, graphql_argument in graphql_field.args.items():
        python_name = _plain_argument((graphql_argument.extensions or {}).get(BACKREF))
        if python_name is None:
            return None
        names[graphql_name] = python_name
    return names


def _plain(
    graphql_field: GraphQLField, field: StrawberryField, make_info: Callable[..., Any]
) -> Resolver | None:
    """graphql-core's resolver for `field`, or None when Strawberry's must stay."""
    if field.is_subscription:
        return None
    resolver = field.base_resolver
    guards = [e for e in field.extensions if type(e) is PermissionExtension]
    if len(guards) != len(field.extensions) or (guards and (not resolver or resolver.is_async)):
        return None  # other extensions; or permissions Strawberry checks asynchronously
    if resolver is None:  # an attribute: Strawberry reads it with its default resolver
        read, attribute = field.default_resolver, field.python_name
        return lambda source, info: read(source, attribute)
    names = _arguments(graphql_field)
    if names is None or resolver.parent_parameter or resolver.root_parameter:
        return None
    method = resolver.wrapped_func
    if not callable(method):
        return None
    bound = resolver.self_parameter is not None
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    if not names and info_name is None and not guards:
        return (lambda source, info: method(source)) if bound else (lambda source, info: method())

    def call(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        named = {names[name]: value for name, value in arguments.items()}
        wrapped = make_info(_raw_info=info, _field=field) if info_name or guards else None

        def resolve(source: Any, info: Any, **named: Any) -> Any:
            if info_name is not None:
                named[info_name] = info
            return method(source, **named) if bound else method(**named)

        # Permissions: Strawberry's own checks, chained as Strawberry chains extensions.
        for guard in guards:
            resolve = partial(guard.resolve, resolve)
        return resolve(source, wrapped, **named)

    return call


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
            plain = _plain(graphql_field, field, make_info)
            if plain is not None:
                graphql_field.resolve = plain
                replaced += 1
    return replaced
