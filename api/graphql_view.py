"""The GraphQL endpoint: per-request context, orjson encoding, masked unexpected errors."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.auth.principal import authenticate
from api.events import WalletBroker
from api.http_cache import revalidated
from graphql_schema.context import Context
from loyalty.errors import AuthError, DomainError
from loyalty.i18n import negotiate_locale, translate
from loyalty.ports import Deps
from resolvers.scope import RequestScope

log = logging.getLogger("loyalty.api")


class LoyaltyGraphQL(GraphQL[Context, None]):
    def __init__(
        self,
        *args: Any,
        deps: Deps,
        broker: WalletBroker,
        platform_key: str | None,
        public_url: str = "",
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.public_url = public_url.rstrip("/")
        self.deps = deps
        self.broker = broker
        self.platform_key = platform_key

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        headers = request.headers
        request_id = headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
        principal = await authenticate(
            self.deps,
            authorization=headers.get("authorization"),
            tenant_header=headers.get("x-tenant"),
            platform_key=self.platform_key,
        )
        if principal.error is not None:
            log.info("auth refused: %s (request %s)", principal.error.reason, request_id)
        tenant = principal.tenant
        default = tenant.program.default_locale if tenant else "en"
        locale = negotiate_locale(headers.get("accept-language"), default)
        request.state.request_id = request_id
        request.state.locale = locale
        if isinstance(response, Response):
            response.headers["x-request-id"] = request_id
            response.headers["content-language"] = locale
        scope = RequestScope(
            deps=self.deps,
            tenant=tenant,
            member=principal.member,
            locale=locale,
            request_id=request_id,
        )
        return Context(
            scope=scope,
            principal=principal,
            broker=self.broker,
            request=request,
            public_url=self.public_url,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:  # as the base class answers, e.g. a mutation over GET
            response = PlainTextResponse(exc.reason, status_code=exc.status_code)
        await revalidated(request, response)(scope, receive, send)

    def encode_json(self, data: object) -> str:
        # Text, not bytes: WebSocket frames must be text for graphql-transport-ws clients.
        return orjson.dumps(data).decode()

    async def process_result(
        self, request: Request | WebSocket, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
            locale = getattr(request.state, "locale", "en")
            result.errors = [_public_error(e, request_id, locale) for e in result.errors]
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            response["errors"] = [e.formatted for e in result.errors]
        if result.extensions:
            response["extensions"] = result.extensions
        return response


def _public_error(error: GraphQLError, request_id: str, locale: str) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error  # validation, parse, coercion and our own coded errors
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
