"""What clients see of an error: coded and localized, never an internal detail."""

from __future__ import annotations

import logging

from graphql import GraphQLError

from api.limit_errors import localized_limit_error
from loyalty.errors import AuthError, DomainError
from loyalty.i18n import translate

log = logging.getLogger("loyalty.api")


def public_error(error: GraphQLError, request_id: str, locale: str) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        # Validation, parse, coercion and our own coded errors; the abuse limits among them
        # are re-worded in the caller's language.
        return localized_limit_error(error, locale) or error
    if isinstance(original, DomainError):
        # Bad arguments to a query field (mutations answer with userErrors instead).
        extensions: dict[str, object] = {"code": original.code.value}
        if original.field is not None:
            extensions["field"] = list(original.field)
        return GraphQLError(
            translate(f"error.{original.code.value}", locale, **original.params),
            nodes=error.nodes,
            path=error.path,
            extensions=extensions,
        )
    if isinstance(original, AuthError):
        return GraphQLError(
            translate(f"error.{original.code}", locale),
            nodes=error.nodes,
            path=error.path,
            extensions={"code": original.code},
        )
    log.error("unexpected error (request %s) at %s", request_id, error.path, exc_info=original)
    return GraphQLError(
        translate("error.INTERNAL", locale, request_id=request_id),
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )
