"""GET /icons/{tenant}/{name}: generated app icons, immutable and cached for a year.

Names are content hashes, so a URL always means the same bytes: clients and CDNs may keep
them forever, and a new icon gets new URLs through the next published theme.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from loyalty.ports import Deps
from loyalty.tenants import SLUG_PATTERN

NAME = re.compile(r"[0-9a-f]{32}\.png")
IMMUTABLE = "public, max-age=31536000, immutable"


def icon_endpoint(deps: Deps) -> Callable[[Request], Awaitable[Response]]:
    async def icon(request: Request) -> Response:
        tenant = request.path_params["tenant"]
        name = request.path_params["name"]
        if not SLUG_PATTERN.fullmatch(tenant) or not NAME.fullmatch(name):
            return PlainTextResponse("not found", status_code=404)
        stored = await deps.files.get(tenant, name)
        if stored is None:
            return PlainTextResponse("not found", status_code=404)
        etag = f'"{name.removesuffix(".png")}"'
        headers = {"Cache-Control": IMMUTABLE, "ETag": etag, "X-Content-Type-Options": "nosniff"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(stored.data, media_type=stored.content_type, headers=headers)

    return icon
