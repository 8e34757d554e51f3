"""POST /webhooks/{platform}/{tenant}: a connected store's events.

The proof (signature or token) is checked on the raw body before anything parses it. Answers:
401 bad or missing proof, nothing stored; 422 a validly signed body that is not the platform's
shape, nothing stored; 404 no such platform, tenant or connection; 413 too large; 200
otherwise, including duplicates and kinds the program does not use (a platform retries
anything else for days)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from integrations.platforms import verify_and_read
from integrations.signatures import SignatureRejected
from loyalty.ports import Deps
from loyalty.store_events import MalformedPayload
from loyalty.stores import StorePlatform
from loyalty.usecases.store_deliveries import note_rejected, receive_delivery

log = logging.getLogger("loyalty.stores")

MAX_BODY = 1024 * 1024


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def webhook_route(deps: Deps) -> Route:
    async def receive(request: Request) -> Response:
        try:
            platform = StorePlatform(request.path_params["platform"].upper())
        except ValueError:
            return _error(404, "UNKNOWN_PLATFORM", "No such store platform.")
        slug = request.path_params["tenant"]
        tenant = await deps.tenants.get(slug)
        connection = None if tenant is None else await deps.store_connections.get(slug, platform)
        if tenant is None or connection is None:
            return _error(404, "NOT_CONNECTED", "No store of this platform is connected here.")
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            return _error(413, "BODY_TOO_LARGE", "The body is larger than 1 MiB.")
        body = await request.body()
        if len(body) > MAX_BODY:
            return _error(413, "BODY_TOO_LARGE", "The body is larger than 1 MiB.")
        headers = {k.lower(): v for k, v in request.headers.items()}
        try:
            delivery = verify_and_read(
                platform,
                deps.secrets.open(connection.secret),
                headers,
                dict(request.query_params),
                body,
                deps.clock.now(),
                tenant.program.timezone,
            )
        except SignatureRejected as exc:
            log.warning("store webhook refused for %s/%s: %s", platform.path, slug, exc)
            await note_rejected(deps, slug, platform)
            return _error(401, "BAD_SIGNATURE", "The signature does not verify.")
        except MalformedPayload as exc:
            log.warning("store webhook malformed for %s/%s: %s", platform.path, slug, exc)
            await note_rejected(deps, slug, platform)
            return _error(422, "MALFORMED_PAYLOAD", f"The payload is not readable: {exc}.")
        outcome = await receive_delivery(deps, tenant, connection, delivery)
        log.info(
            "store webhook %s/%s %s %s: %s",
            platform.path,
            slug,
            delivery.kind,
            delivery.delivery_id,
            outcome.status,
        )
        answer = {"status": outcome.status, **({"code": outcome.code} if outcome.code else {})}
        return JSONResponse(answer)

    return Route("/webhooks/{platform}/{tenant}", receive, methods=["POST"])
