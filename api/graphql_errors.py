"""What clients see of an error: coded and localized, never an internal detail."""

from __future__ import annotations

import logging
import re
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

from api.limit_errors import localized_limit_error
from api.log_redaction import redact, redacted_traceback
from graphql_schema.context import Context
from graphql_schema.document_cache import DocumentCachingSchema
from loyalty.errors import AuthError, DomainError
from loyalty.i18n import translate

log = logging.getLogger("loyalty.api")


# graphql-core's wording for a variable whose value cannot be coerced (an execution-time
# request error, which Apollo codes BAD_USER_INPUT); other "Variable '$x' ..." messages are
# validation's. Pinned by tests/api/test_request_error_codes.py.
_COERCION = re.compile(r"^Variable '\$\w+' (has invalid (default )?value|expected value of type)")
# Strawberry's refusal of an explicit null in a variable for a `Maybe[T]` input field (a
# literal null is caught by validation); raised while the field's arguments are converted.
_MAYBE_NULL = re.compile(r"^Expected value of type '[^']+', found null\. Field of type 'Maybe\[")
MAX_DETAIL = 300
_SUGGESTION = re.compile(r" Did you mean .*\?$", re.S)


def _refused_value(error: GraphQLError) -> bool:
    """Before execution, a scalar refused a value by raising: ours (the Decimal scalar, for a
    JSON number) or graphql-core's Int on a literal of more than 4,300 digits. The client's
    mistake, not ours."""
    return error.path is None and (
        _COERCION.match(error.message) is not None
        or isinstance(error.original_error, ValueError | OverflowError)
    )


def _bad_variable(error: GraphQLError) -> bool:
    if error.path is None and _COERCION.match(error.message):
        return True
    return _MAYBE_NULL.match(error.message) is not None


def _request_error(error: GraphQLError, locale: str, production: bool) -> GraphQLError:
    """A parse, validation or coercion error with Apollo's code and a localized wrapper
    around graphql-core's (English) detail; in production without "Did you mean ..."
    suggestions, which would spell out the schema that introspection hides."""
    if isinstance(error, GraphQLSyntaxError):
        code = "GRAPHQL_PARSE_FAILED"
        detail = error.message.removeprefix("Syntax Error: ")
    elif _bad_variable(error):
        code, detail = "BAD_USER_INPUT", error.message
    elif error.path is None:
        code, detail = "GRAPHQL_VALIDATION_FAILED", error.message
    else:
        return error
    if production:
        detail = _SUGGESTION.sub("", detail)
    if len(detail) > MAX_DETAIL:  # graphql-core quotes the value, however long it is
        detail = detail[:MAX_DETAIL] + "…"
    return GraphQLError(
        translate(f"error.{code}", locale, detail=detail),
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code},
    )


def public_error(
    error: GraphQLError, request_id: str, locale: str, *, production: bool = False
) -> GraphQLError:
    original = error.original_error
    if _refused_value(error):
        return _request_error(error, locale, production)
    if original is None or isinstance(original, GraphQLError):
        # Validation, parse, coercion and our own coded errors; the abuse limits among them
        # are re-worded in the caller's language.
        limit = localized_limit_error(error, locale)
        if limit is not None:
            return limit
        if (error.extensions or {}).get("code") is not None:
            return error
        return _request_error(error, locale, production)
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


class LoggingSchema(DocumentCachingSchema):
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
            coded = isinstance(original, GraphQLError | DomainError | AuthError)
            if original is None or coded or _refused_value(error):
                log.debug("request %s refused: %s", request_id, redact(error.message))
                continue
            log.error(
                "unexpected error (request %s) at %s\n%s",
                request_id,
                redact(str(error.path)),
                redacted_traceback(original),
            )
