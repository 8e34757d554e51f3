"""What clients see of an error: coded and localized, never an internal detail."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError

from api.limit_errors import localized_limit_error
from api.log_redaction import redact, redacted_traceback
from graphql_schema.context import Context
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
    # Logged (redacted) by LoggingSchema.process_errors, which also sees WebSocket errors.
    return GraphQLError(
        translate("error.INTERNAL", locale, request_id=request_id),
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


class LoggingSchema(strawberry.Schema):
    """Strawberry's schema, logging unexpected errors once, with secrets redacted.

    Strawberry logs every error with exc_info, so an exception quoting a key, a token or a
    signing secret would reach the logs verbatim; here the traceback is logged as redacted text
    (api/log_redaction.py) with the request id the client was given. Coded errors (the
    client's mistakes: validation, refusals, domain errors) are not logged as errors.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: Any | None = None
    ) -> None:
        context = getattr(execution_context, "context", None)
        request_id = context.scope.request_id if isinstance(context, Context) else "-"
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, GraphQLError | DomainError | AuthError):
                log.debug("request %s refused: %s", request_id, redact(error.message))
                continue
            log.error(
                "unexpected error (request %s) at %s\n%s",
                request_id,
                redact(str(error.path)),
                redacted_traceback(original),
            )
