"""Conditional GET for GraphQL queries: an ETag over the response body, 304 when unchanged.

Apps poll `appTheme` (and `program`) over GET /graphql; with `If-None-Match` they skip the
download when nothing changed. The tag hashes the exact bytes sent, so it changes with the
theme's version, the language and the credential's view, and never claims two different
answers are the same. The query still runs (one indexed read for appTheme); what is saved is
the transfer and the app's re-rendering.
"""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response

# The answer depends on these request headers, so shared caches must key on them.
VARY = "Accept-Language, Authorization, X-Tenant"


def body_etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in candidates or etag in candidates


def revalidated(request: Request, response: Response) -> Response:
    """`response` with validators added, or a bodiless 304 when the client's copy is current."""
    if response.status_code != 200 or not isinstance(response.body, bytes):
        return response
    etag = body_etag(response.body)
    private = "authorization" in request.headers
    # no-cache: keep it, but ask each time (cheap with If-None-Match). A credential's answer
    # is for that client only.
    cache_control = f"{'private' if private else 'public'}, no-cache"
    headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": VARY}
    if _matches(request.headers.get("if-none-match"), etag):
        not_modified = Response(status_code=304, headers=headers)
        for name in ("x-request-id", "content-language"):
            if name in response.headers:
                not_modified.headers[name] = response.headers[name]
        return not_modified
    response.headers.update(headers)
    return response
