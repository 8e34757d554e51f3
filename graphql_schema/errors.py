"""One way of returning errors: domain errors become localized `userErrors` in the payload;
authentication and authorization failures become top-level errors with `extensions.code`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from graphql_schema.context import RequestScope
from loyalty.errors import AuthError, DomainError, DomainErrors
from loyalty.errors import ErrorCode as DomainErrorCode
from loyalty.i18n import translate
from loyalty.i18n.messages import translate_in
from loyalty.i18n.render import MessageContext
from loyalty.program_texts import message_context

strawberry.enum(DomainErrorCode, name="ErrorCode")
ErrorCode = DomainErrorCode


@strawberry.type
class UserError:
    code: ErrorCode
    field: list[str] | None
    message: str


def user_error(exc: DomainError, locale: str, context: MessageContext | None = None) -> UserError:
    return UserError(
        code=exc.code,
        field=list(exc.field) if exc.field is not None else None,
        message=translate_in(
            f"error.{exc.code.value}", locale, context or MessageContext(), **exc.params
        ),
    )


def reader(scope: RequestScope, audience: str | None = None) -> MessageContext:
    """The tenant's words for points (and the admin variants when `audience` is "admin")."""
    if scope.tenant is None:
        return MessageContext(audience=audience)
    context = message_context(scope.tenant.program)
    return MessageContext(context.points_names, context.timezone, audience)


def auth_graphql_error(exc: AuthError, locale: str) -> GraphQLError:
    # The reason stays in the logs; clients get the code and a localized sentence only.
    return GraphQLError(translate(f"error.{exc.code}", locale), extensions={"code": exc.code})


T = TypeVar("T")


async def attempt(
    locale: str, action: Callable[[], Awaitable[T]], context: MessageContext | None = None
) -> tuple[T | None, list[UserError]]:
    """Run a use case; a DomainError becomes the payload's userErrors (worded for `context`:
    the merchant's points word, admin variants)."""
    try:
        return await action(), []
    except DomainErrors as exc:
        return None, [user_error(error, locale, context) for error in exc.errors]
    except DomainError as exc:
        return None, [user_error(exc, locale, context)]
