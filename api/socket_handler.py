"""graphql-transport-ws with the HTTP endpoint's rules: credentials checked for every operation
and while the socket is open, the same rate limits, body cap and query limits, coded errors.

Strawberry's handler runs every operation with the one context made at the upgrade, so a token
that expired or a signing key that was revoked kept working for the socket's whole life, and
nothing counted operations or measured frames. Here:

- each `subscribe` spends one of the caller's rate-limit tokens (an `error` message with
  RATE_LIMITED when none is left), then authenticates the socket's credentials afresh and runs
  with a context of its own; a credential that no longer passes closes the socket with 4403;
- a watchdog re-authenticates every CREDENTIAL_RECHECK while the socket is open, so expiry and
  revocation reach subscriptions that send nothing (4403 too);
- a frame larger than the HTTP body cap is never executed: a `subscribe` gets an `error`
  message with PAYLOAD_TOO_LARGE, anything else closes the socket (1009, message too big);
- errors go out as over HTTP (api/graphql_errors.py): limits and refusals coded and localized,
  unexpected ones masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
    _OperationStreamClosed,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    Message,
    SubscribeMessage,
)
from strawberry.types.execution import ExecutionResult
from strawberry.utils.aio import aclosing

from api.graphql_errors import public_error
from api.http_transport import MAX_JSON_BODY
from api.rate_limit import RateLimited
from api.socket_credentials import Credentials
from graphql_schema.context import Context
from loyalty.i18n import translate

if TYPE_CHECKING:
    from strawberry.schema.schema import StreamResult

    from api.graphql_view import LoyaltyGraphQL

log = logging.getLogger("loyalty.api")

# How soon an expired token or a revoked key closes a socket that is only listening.
CREDENTIAL_RECHECK = timedelta(seconds=5)
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_BIG = 1009  # RFC 6455: a message too big to process
# The server's own frame limit (uvicorn's ws_max_size): frames above it are dropped with 1009
# before they are buffered whole; those between MAX_JSON_BODY and it are refused here.
MAX_FRAME_BYTES = 1024 * 1024


class OversizedFrame(dict[str, Any]):
    """A frame above the cap: only its `type` and `id` are kept, its payload never runs."""


class CappedWebSocketAdapter(ASGIWebSocketAdapter):
    """Reads frames as Strawberry's adapter does, but marks the ones above the body cap."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text) > MAX_JSON_BODY:
                    yield _oversized(self.view, text)
                    continue
                try:
                    yield self.view.decode_json(text)
                except ValueError as exc:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from exc
        except KeyError as exc:
            raise NonTextMessageReceived from exc
        except WebSocketDisconnect:
            pass


def _oversized(view: Any, text: str) -> OversizedFrame:
    # The frame is already in memory (the server's own frame limit bounds it); decoding the
    # JSON is cheap, and it tells the client which operation was refused.
    try:
        message = view.decode_json(text)
    except ValueError:
        return OversizedFrame(type="unknown")
    if not isinstance(message, dict):
        return OversizedFrame(type="unknown")
    frame_id = message.get("id")
    kept_id = frame_id if isinstance(frame_id, str) else None
    return OversizedFrame(type=message.get("type"), id=kept_id)


class _SocketOperation(Operation[Context, None]):
    __slots__ = ("context",)

    def __init__(self, handler: Any, message: SubscribeMessage) -> None:
        payload = message["payload"]  # a KeyError here closes the socket with 4400
        super().__init__(
            handler,
            message["id"],
            payload["query"],
            payload.get("variables"),
            payload.get("operationName"),
        )
        self.context: Context | None = None


class LoyaltyTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    view: LoyaltyGraphQL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.watchdog: asyncio.Task[None] | None = None
        self.closed_for_credentials = False

    @property
    def socket(self) -> WebSocket:
        return cast(WebSocket, self.context.request)

    @property
    def credentials(self) -> Credentials:
        return cast(Credentials, self.socket.state.credentials)

    async def handle_message(self, message: Message) -> None:
        if isinstance(message, OversizedFrame):
            await self.refuse_oversized(message)
            return
        await super().handle_message(message)

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self.watchdog is None and self.credentials.presented:
            self.watchdog = asyncio.create_task(self.watch_credentials())

    async def shutdown(self) -> None:
        if self.watchdog is not None and self.watchdog is not asyncio.current_task():
            self.watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watchdog
        await super().shutdown()

    async def watch_credentials(self) -> None:
        while True:
            await asyncio.sleep(CREDENTIAL_RECHECK.total_seconds())
            principal = await self.view.principal_of(self.credentials)
            if principal.error is not None:
                await self.close_for_credentials(principal.error.reason)
                return

    async def close_for_credentials(self, reason: str) -> None:
        """Expired or revoked: every operation stops, then the socket closes with 4403."""
        if self.closed_for_credentials:
            return
        self.closed_for_credentials = True
        log.info("socket closed: credentials no longer valid (%s)", reason)
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        with contextlib.suppress(Exception):
            await self.websocket.close(code=CLOSE_FORBIDDEN, reason="Forbidden")

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        limited = (
            self.max_subscriptions_per_connection is not None
            and len(self.operations) >= self.max_subscriptions_per_connection
        )
        if not self.connection_acknowledged or message["id"] in self.operations or limited:
            await super().handle_subscribe(message)  # closes or refuses as the protocol says
            return
        operation = _SocketOperation(self, message)
        try:
            await self.view.rate_limit(self.context.principal, self.credentials, self.address)
        except RateLimited as exc:
            extra = {"retryAfter": exc.retry_after}
            await self.send_refusal(message["id"], "RATE_LIMITED", extra)
            return
        context = await self.view.build_context(self.socket, self.credentials)
        if context.principal.error is not None:
            await self.close_for_credentials(context.principal.error.reason)
            return
        self.context.principal, self.context.scope = context.principal, context.scope
        operation.context = context
        operation.task = asyncio.create_task(self.run_socket_operation(operation))
        operation.task.add_done_callback(self._task_done)
        self.operations[message["id"]] = operation

    @property
    def address(self) -> str:
        client = self.socket.client
        return client.host if client else "unknown"

    async def refuse_oversized(self, frame: OversizedFrame) -> None:
        frame_id = frame.get("id")
        if frame.get("type") == "subscribe" and self.connection_acknowledged and frame_id:
            await self.send_refusal(frame_id, "PAYLOAD_TOO_LARGE", {})
            return
        await self.websocket.close(code=CLOSE_TOO_BIG, reason="Message too big")

    async def send_refusal(self, operation_id: str, code: str, extra: dict[str, Any]) -> None:
        locale = self.context.scope.locale
        message = translate(f"error.{code}", locale)
        error = {"message": message, "extensions": {"code": code, **extra}}
        await self.send_message(
            cast(Message, {"id": operation_id, "type": "error", "payload": [error]})
        )

    async def run_socket_operation(self, operation: _SocketOperation) -> None:
        """Strawberry's run_operation, with the operation's own context."""
        try:
            result_source = await self.schema.stream(
                operation.query,
                variable_values=operation.variables,
                context_value=operation.context or self.context,
                root_value=self.root_value,
                operation_name=operation.operation_name,
            )
            async with aclosing(result_source):
                await self._send_result_stream(operation, result_source)
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except _OperationStreamClosed:
            return
        except Exception as error:
            await self.handle_task_exception(error)
            with contextlib.suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
            raise

    async def _send_result_stream(
        self, operation: Operation[Context, None], result_source: StreamResult
    ) -> None:
        context = cast(_SocketOperation, operation).context or self.context

        async def public() -> AsyncGenerator[Any, None]:
            async for result in result_source:
                if isinstance(result, ExecutionResult) and result.errors:
                    scope = context.scope
                    result.errors = [
                        public_error(
                            e, scope.request_id, scope.locale, production=self.view.production
                        )
                        for e in result.errors
                    ]
                yield result

        await super()._send_result_stream(operation, cast(Any, public()))


__all__ = ["CREDENTIAL_RECHECK", "CappedWebSocketAdapter", "LoyaltyTransportWSHandler"]
