"""The GraphQL endpoint: per-request context, orjson encoding, masked unexpected errors.

Around Strawberry's view it adds the GraphQL-over-HTTP rules (api/http_transport.py),
persisted queries (api/persisted_queries.py), per-principal rate limits (api/rate_limit.py)
and conditional GET (api/http_cache.py); over WebSocket, credentials from connection_init and
the same checks for every operation (api/socket_credentials.py, api/socket_handler.py).
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.file_uploads.utils import replace_placeholders_with_files
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.auth.authenticate import authenticate, bearer_token
from api.auth.member_tokens import validate_public_key
from api.console_routes import graphiql_page
from api.graphql_errors import public_error
from api.http_cache import revalidated
from api.http_transport import (
    GRAPHQL_RESPONSE,
    JSON,
    BodyTooLarge,
    error_response,
    read_body,
    response_media_type,
)
from api.log_context import bind_request
from api.persisted_queries import PersistedQueries, PersistedQueryError
from api.rate_limit import Limiter, RateLimited
from api.request_body import (
    BadBody,
    check_file_map,
    check_operations,
    decode_json,
    fresh_request_id,
)
from api.request_body import request_id as valid_request_id
from api.socket_credentials import Credentials
from api.socket_handler import CappedWebSocketAdapter, LoyaltyTransportWSHandler
from graphql_schema.context import Context, RequestScope
from graphql_schema.schema import MAX_BATCH
from loyalty.i18n import negotiate_locale, translate
from loyalty.ports import Deps
from loyalty.principal import Principal
from loyalty.wallet_events import WalletFeed

log = logging.getLogger("loyalty.api")

# Apollo clients match these literal messages (older ones ignore extensions.code).
APOLLO_MESSAGES = {
    "PERSISTED_QUERY_NOT_FOUND": "PersistedQueryNotFound",
    "PERSISTED_QUERY_NOT_SUPPORTED": "PersistedQueryNotSupported",
}


class Refusal(Exception):
    """A request refused before execution, answered as one coded GraphQL error."""

    def __init__(
        self, status: int, code: str, headers: dict[str, str] | None = None, **params: Any
    ):
        super().__init__(code)
        self.status, self.code, self.headers, self.params = status, code, headers, params


class LoyaltyGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = LoyaltyTransportWSHandler
    websocket_adapter_class = CappedWebSocketAdapter

    def __init__(
        self,
        *args: Any,
        deps: Deps,
        broker: WalletFeed,
        platform_key: str | None,
        persisted: PersistedQueries,
        limiter: Limiter,
        public_url: str = "",
        production: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        # Production answers without "Did you mean ..." (introspection is off there too).
        self.production = production
        self.public_url = public_url.rstrip("/")
        self.deps = deps
        self.broker = broker
        self.platform_key = platform_key
        self.persisted = persisted
        self.limiter = limiter

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        credentials = Credentials.of_headers(request.headers)
        if isinstance(request, WebSocket):
            # Kept on the socket: each operation and the periodic re-check read them again.
            request.state.credentials = credentials
        context = await self.build_context(request, credentials)
        if isinstance(request, Request):
            await self._limit(request, context.principal, credentials)
        if isinstance(response, Response):
            response.headers["x-request-id"] = context.scope.request_id
            response.headers["content-language"] = context.scope.locale
        return context

    async def build_context(
        self, request: Request | WebSocket, credentials: Credentials
    ) -> Context:
        """A context for one HTTP request, or for one operation over a socket: the credentials
        are authenticated afresh, so an expired or revoked one is noticed."""
        request_id = valid_request_id(request.headers.get("x-request-id"))
        bind_request(request_id, None)  # the tenant once authenticated, never as claimed
        principal = await self.principal_of(credentials)
        if principal.error is not None:
            log.info("auth refused: %s (request %s)", principal.error.reason, request_id)
        tenant = principal.tenant
        bind_request(request_id, tenant.slug if tenant else None)
        default = tenant.program.default_locale if tenant else "en"
        locale = negotiate_locale(credentials.language, default)
        request.state.request_id = request_id
        request.state.locale = locale
        scope = RequestScope(
            deps=self.deps,
            tenant=tenant,
            member=principal.member,
            locale=locale,
            request_id=request_id,
            member_read_now=True,  # authenticating just read it (and enrolled a new member)
        )
        return Context(
            scope=scope,
            principal=principal,
            broker=self.broker,
            public_key_check=validate_public_key,
            request=request,
            public_url=self.public_url,
        )

    async def principal_of(self, credentials: Credentials) -> Principal:
        return await authenticate(
            self.deps,
            authorization=credentials.authorization,
            tenant_header=credentials.tenant,
            platform_key=self.platform_key,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """connection_init: its payload's credentials replace the headers'; an invalid one
        (forged, expired, unknown key) closes the socket with 4403 before anything runs."""
        websocket: WebSocket = context.request
        headers: Credentials = websocket.state.credentials
        credentials = headers.with_payload(context.connection_params or {})
        websocket.state.credentials = credentials
        fresh = await self.build_context(websocket, credentials)
        if fresh.principal.error is not None:
            raise ConnectionRejectionError
        context.scope, context.principal = fresh.scope, fresh.principal
        acknowledged: UnsetType = UNSET  # connection_ack without a payload
        return acknowledged

    async def rate_limit(
        self, principal: Principal, credentials: Credentials, address: str
    ) -> None:
        """Spend one of the caller's tokens (RateLimited when there is none)."""
        kind, key = principal.rate_key(bearer_token(credentials.authorization))
        await self.limiter.check(kind, key if key is not None else address)

    async def _limit(
        self, request: Request, principal: Principal, credentials: Credentials
    ) -> None:
        address = request.client.host if request.client else "unknown"
        try:
            await self.rate_limit(principal, credentials, address)
        except RateLimited as exc:
            retry = str(exc.retry_after)
            raise Refusal(429, "RATE_LIMITED", {"Retry-After": retry}) from exc

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        media_type = response_media_type(request.headers.get("accept"))
        if media_type is None:
            response = self._refusal(request, Refusal(406, "NOT_ACCEPTABLE"), JSON)
        else:
            response = await self._answer(request, media_type)
        if scope["method"] == "GET":
            response = revalidated(request, response)
        await response(scope, receive, send)

    async def _answer(self, request: Request, media_type: str) -> Response:
        request.state.media_type = media_type
        try:
            if request.method == "POST":
                await read_body(request)
            response = await self.run(request)
        except BodyTooLarge:
            return self._refusal(request, Refusal(413, "PAYLOAD_TOO_LARGE"), media_type)
        except Refusal as refusal:
            return self._refusal(request, refusal, media_type)
        except BadBody as exc:
            return self._refusal(request, Refusal(400, exc.code), media_type)
        except HTTPException as exc:  # the base class's own refusals, coded here
            return self._refusal(request, _coded(request, exc), media_type)
        if response.media_type == JSON and media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = GRAPHQL_RESPONSE
            batch = isinstance(response.body, bytes) and response.body.startswith(b"[")
            if getattr(request.state, "request_error", False) and not batch:
                response.status_code = 400  # the spec's SHOULD: no data, a 4xx
        return response

    def _refusal(self, request: Request, refusal: Refusal, media_type: str) -> Response:
        locale = getattr(request.state, "locale", None) or negotiate_locale(
            request.headers.get("accept-language"), "en"
        )
        message = APOLLO_MESSAGES.get(refusal.code) or translate(
            f"error.{refusal.code}", locale, **refusal.params
        )
        status = refusal.status
        if status == 200 and media_type == GRAPHQL_RESPONSE:
            status = 400  # a request error under the new media type is a 4xx
        headers = dict(refusal.headers or {})
        if refusal.code == "RATE_LIMITED":
            extra = {"retryAfter": int(headers["Retry-After"])}
        else:
            extra = {}
        return error_response(status, refusal.code, message, media_type, headers, extra)

    def parse_json(self, data: str | bytes) -> Any:
        """The body (or a multipart `operations` field): an operation or a batch of them."""
        decoded = decode_json(data)
        check_operations(decoded)
        return decoded

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        try:
            form_data = await request.get_form_data()
        except ValueError as exc:
            raise BadBody("MALFORMED_MULTIPART") from exc
        operations = form_data.form.get("operations")
        file_map = form_data.form.get("map", "{}")
        if not isinstance(operations, bytes | str) or not isinstance(file_map, bytes | str):
            raise BadBody("MALFORMED_MULTIPART")
        parsed = self.parse_json(operations)
        placements = decode_json(file_map)
        check_file_map(placements, parsed, form_data.files)
        placed: dict[str, str] = replace_placeholders_with_files(
            parsed, placements, form_data.files
        )
        return placed

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if request.method == "POST" and content_type not in (JSON, "multipart/form-data"):
            raise Refusal(415, "UNSUPPORTED_MEDIA_TYPE")
        request_data: GraphQLRequestData | list[GraphQLRequestData] | None = None
        if request.method == "GET" and "extensions" in request.query_params:
            request_data = await self._persisted_get(request)
        elif content_type == JSON and not self._stream_transport_map:
            request_data = self._posted_operation(await request.get_body())
        if request_data is None:
            request_data = await super().parse_http_body(request)
        items = request_data if isinstance(request_data, list) else [request_data]
        for item in items:
            try:
                item.query = await self.persisted.resolve(item.query, item.extensions)
            except PersistedQueryError as exc:
                raise Refusal(200, exc.code) from exc
        return request_data

    def _posted_operation(self, body: bytes) -> GraphQLRequestData | None:
        """A POSTed JSON operation object, checked as Strawberry checks one, without its
        content-type and Accept parsing (no streaming transport is served, so the protocol
        is plain HTTP). None for a batch: Strawberry's own parsing takes it."""
        data = self.parse_json(body)
        if not isinstance(data, dict):
            return None
        query, variables, extensions = (data.get(k) for k in ("query", "variables", "extensions"))
        for name, value, kinds in (
            ("query", query, (str, type(None))),
            ("variables", variables, (dict, type(None))),
            ("extensions", extensions, (dict, type(None))),
        ):
            if not isinstance(value, kinds):
                kind = "a string" if name == "query" else "an object"
                raise HTTPException(
                    400, f"The GraphQL operation's `{name}` must be {kind} or null, if provided."
                )
        return GraphQLRequestData(
            query=query,
            variables=variables,
            operation_name=data.get("operationName"),
            extensions=extensions,
            protocol="http",
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page()

    def should_render_graphql_ide(self, request: Any) -> bool:
        if request.method != "GET":  # answered before the query string is parsed
            return False
        # A GET carrying only a persisted query's hash is an operation, not a browser visit.
        if request.query_params.get("extensions") is not None:
            return False
        return super().should_render_graphql_ide(request)

    async def _persisted_get(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        # Apollo's GET form: extensions (and variables) as JSON in the query string.
        params = dict(request.query_params)
        try:
            extensions = orjson.loads(str(params["extensions"]))
            variables = orjson.loads(str(params["variables"])) if "variables" in params else None
        except orjson.JSONDecodeError as exc:
            raise BadBody("MALFORMED_JSON") from exc
        return GraphQLRequestData(
            query=params.get("query"),
            variables=variables,
            operation_name=params.get("operationName"),
            extensions=extensions,
            protocol="http",
        )

    def _validate_batch_request(
        self, request_data: list[GraphQLRequestData], protocol: Any
    ) -> None:
        if len(request_data) > MAX_BATCH:
            raise Refusal(400, "BATCH_TOO_LARGE", max=MAX_BATCH)
        if not request_data:
            raise BadBody("EMPTY_BATCH")
        super()._validate_batch_request(request_data, protocol)

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                # The spec: a mutation over GET is 405 Method Not Allowed (Allow: POST).
                raise HTTPException(405, exc.reason) from exc
            raise

    def decode_json(self, data: str | bytes) -> object:
        # WebSocket frames: orjson refuses deep nesting and huge integers with a
        # JSONDecodeError (a json.JSONDecodeError), where json.loads would recurse or int().
        return orjson.loads(data)

    def encode_json(self, data: object) -> str:
        # Text, not bytes: WebSocket frames must be text for graphql-transport-ws clients.
        return orjson.dumps(data).decode()

    async def process_result(
        self, request: Request | WebSocket, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        if result.errors:
            request_id = getattr(request.state, "request_id", None) or fresh_request_id()
            locale = getattr(request.state, "locale", "en")
            result.errors = [
                public_error(e, request_id, locale, production=self.production)
                for e in result.errors
            ]
        # Errors before execution (parse, validation, variable coercion) carry no path: the
        # GraphQL spec says such a response has no `data` entry at all.
        request_error = result.data is None and all(e.path is None for e in result.errors or ())
        response: GraphQLHTTPResponse = {} if request_error else {"data": result.data}
        if request_error:
            request.state.request_error = True
        if result.errors:
            response["errors"] = [e.formatted for e in result.errors]
        if result.extensions:
            response["extensions"] = result.extensions
        return response


def _coded(request: Request, exc: HTTPException) -> Refusal:
    """Strawberry's plain-text refusals as coded GraphQL errors (localized by `_refusal`)."""
    if exc.status_code == 405:
        # Only GET and POST are served; a mutation may only be POSTed.
        allow = "POST" if request.method == "GET" else "GET, POST"
        return Refusal(405, "METHOD_NOT_ALLOWED", {"Allow": allow})
    if exc.status_code == 404:
        return Refusal(404, "NOT_FOUND")
    if "No GraphQL query" in exc.reason:
        return Refusal(400, "MISSING_QUERY")
    return Refusal(exc.status_code, "BAD_REQUEST")
