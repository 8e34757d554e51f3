"""Abuse-limit refusals (depth, aliases, tokens, cost) in the caller's language, with a code.

The limits run in graphql-core's parser and validation, whose results are cached per document
(not per language), so the rules themselves report in English and the answer is localized here,
per request. Strawberry's depth/alias limiters and graphql-core's token limit report only a
message: it is recognized by its (version-pinned) wording; tests/api/test_limit_messages.py
fails if an upgrade changes it, rather than letting English slip through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError

from loyalty.i18n import translate

Params = dict[str, Any]

_PATTERNS: list[tuple[re.Pattern[str], str, Callable[[re.Match[str]], Params]]] = [
    (
        re.compile(r"^'.*' exceeds maximum operation depth of (\d+)$", re.S),
        "QUERY_TOO_DEEP",
        lambda m: {"max": int(m[1])},
    ),
    (
        re.compile(r"^(\d+) aliases found\. Allowed: (\d+)$"),
        "TOO_MANY_ALIASES",
        lambda m: {"count": int(m[1]), "max": int(m[2])},
    ),
    (
        re.compile(r"Document contains more than (\d+) tokens"),
        "TOO_MANY_TOKENS",
        lambda m: {"max": int(m[1])},
    ),
]


def _recognize(error: GraphQLError) -> tuple[str, Params, dict[str, Any]] | None:
    """(code, message parameters, extra extensions) for a limit refusal, else None."""
    extensions = error.extensions or {}
    if extensions.get("code") == "QUERY_TOO_COMPLEX":
        cost = extensions["cost"]
        params = {"requested": cost["requested"], "limit": cost["limit"]}
        return "QUERY_TOO_COMPLEX", params, {"cost": cost}
    if extensions.get("code") == "OUT_OF_RANGE" and error.path is None:
        # A page size refused while validating (graphql_schema/cost.py), before its price.
        bounds = {"min": extensions["min"], "max": extensions["max"]}
        return "OUT_OF_RANGE", bounds, {"field": ["first"]}
    if extensions.get("code") is not None:
        return None  # already coded: not a limiter's bare message
    for pattern, code, params_of in _PATTERNS:
        match = pattern.search(error.message)
        if match is not None:
            params = params_of(match)
            return code, params, {"limit": params["max"]}
    return None


def localized_limit_error(error: GraphQLError, locale: str) -> GraphQLError | None:
    """The refusal re-worded in `locale` with `extensions.code`, or None if not a limit."""
    recognized = _recognize(error)
    if recognized is None:
        return None
    code, params, extra = recognized
    return GraphQLError(
        translate(f"error.{code}", locale, **params),
        nodes=error.nodes,
        path=error.path,
        extensions={"code": code, **extra},
    )
