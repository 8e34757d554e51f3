"""GraphQL-over-HTTP rules around the Strawberry view: media types, body limits, refusals.

- `Accept: application/graphql-response+json` is answered in that type, with 4xx when the
  request never reached execution (parse, validation, variable coercion) and no `data` then;
  `application/json` (and a missing or wildcard Accept, as legacy clients send) keeps 200.
- Bodies are read with a cap before anything parses them: 413 above it. Multipart uploads get
  a larger cap, sized for the largest file an upload accepts (a member import), and are not
  buffered: the multipart parser streams them (files spool to disk) under the same count.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from loyalty.icons import MAX_UPLOAD_BYTES
from loyalty.usecases.imports import MAX_IMPORT_BYTES

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MAX_JSON_BODY = 128 * 1024
MAX_MULTIPART_BODY = max(MAX_UPLOAD_BYTES, MAX_IMPORT_BYTES) + 512 * 1024


class BodyTooLarge(Exception):
    pass


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def response_media_type(accept: str | None) -> str | None:
    """The type to answer in, or None when the client accepts neither (406)."""
    if not accept:
        return JSON
    scores: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        if media:
            scores[media] = max(scores.get(media, 0.0), _quality(params))
    wildcard = max(scores.get("*/*", 0.0), scores.get("application/*", 0.0))
    graphql = scores.get(GRAPHQL_RESPONSE, 0.0)
    json = scores.get(JSON, wildcard)
    if graphql > 0 and graphql >= json:
        return GRAPHQL_RESPONSE
    if json > 0:
        return JSON
    if "text/html" in scores:  # a browser opening GraphiQL; the view decides
        return JSON
    return None


def body_limit(request: Request) -> int:
    content_type = request.headers.get("content-type", "")
    return MAX_MULTIPART_BODY if content_type.startswith("multipart/") else MAX_JSON_BODY


async def read_body(request: Request) -> None:
    """Read the body once, refusing it as soon as it passes the cap (no full buffering)."""
    limit = body_limit(request)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    if limit == MAX_MULTIPART_BODY:
        _count_as_read(request, limit)
        return
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    # Starlette keeps the body here; Strawberry's body() and form() read it from the cache.
    request._body = b"".join(chunks)


def _count_as_read(request: Request, limit: int) -> None:
    """The multipart parser reads the body from `receive`: counting there refuses a body
    past the cap (BodyTooLarge out of the parse) while the parser streams the rest to disk."""
    receive = request._receive
    size = 0

    async def counted() -> Any:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if size > limit:
            raise BodyTooLarge
        return message

    request._receive = counted


def error_response(
    status: int,
    code: str,
    message: str,
    media_type: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """A GraphQL response with one request-level error and no `data` entry."""
    error: dict[str, Any] = {"message": message, "extensions": {"code": code, **(extra or {})}}
    body = orjson.dumps({"errors": [error]})
    return Response(body, status_code=status, media_type=media_type, headers=headers)
