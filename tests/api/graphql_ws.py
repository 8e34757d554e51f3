"""A graphql-transport-ws client over the ASGI app in process, speaking what graphql-ws sends.

graphql-ws (the client Apollo's GraphQLWsLink wraps) opens the socket with the
`graphql-transport-ws` subprotocol and no custom headers (a browser cannot set them), sends
`{"type": "connection_init", "payload": connectionParams}`, then for each operation
`{"id", "type": "subscribe", "payload": {"query", "operationName", "variables", "extensions"}}`,
answers `ping` with `pong`, and sends `complete` to stop. Every read here has a timeout, so a
server that never answers fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import ASGIApp, Message

WAIT_SECONDS = 5.0
BROWSER_HEADERS = {
    "host": "api.loyalty.test",
    "origin": "https://shop.example",  # the app's page, on another origin
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0",
    "sec-websocket-version": "13",
}


class SocketClosed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"closed {code} {reason}")
        self.code, self.reason = code, reason


class GraphQLWsClient:
    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers
        self.to_server: asyncio.Queue[Message] = asyncio.Queue()
        self.to_client: asyncio.Queue[Message] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.subprotocol: str | None = None

    async def open(self) -> None:
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
            "client": ("203.0.113.7", 50123),
            "server": ("api.loyalty.test", 443),
            "subprotocols": ["graphql-transport-ws"],
            "state": {},
        }
        self.task = asyncio.create_task(self.app(scope, self.to_server.get, self.to_client.put))
        await self.to_server.put({"type": "websocket.connect"})
        accepted = await self._next()
        if accepted["type"] != "websocket.accept":
            raise SocketClosed(accepted.get("code", 1000), accepted.get("reason", ""))
        self.subprotocol = accepted.get("subprotocol")

    async def _next(self, within: float = WAIT_SECONDS) -> Message:
        return await asyncio.wait_for(self.to_client.get(), within)

    async def send(self, message: dict[str, Any]) -> None:
        await self.send_text(json.dumps(message))

    async def send_text(self, text: str) -> None:
        await self.to_server.put({"type": "websocket.receive", "text": text})

    async def receive(self, within: float = WAIT_SECONDS) -> dict[str, Any]:
        """The next protocol message; pings are answered as graphql-ws does."""
        while True:
            message = await self._next(within)
            if message["type"] == "websocket.close":
                raise SocketClosed(message.get("code", 1000), message.get("reason", ""))
            body: dict[str, Any] = json.loads(message["text"])
            if body.get("type") == "ping":
                await self.send({"type": "pong"})
                continue
            return body

    async def nothing_within(self, seconds: float) -> bool:
        """True when the server sends nothing for `seconds`."""
        try:
            await self._next(seconds)
        except TimeoutError:
            return True
        return False

    async def connection_init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await self.send(message)
        return await self.receive()

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        payload = {
            "query": query,
            "operationName": None,
            "variables": variables or {},
            "extensions": {},
        }
        await self.send({"id": operation_id, "type": "subscribe", "payload": payload})

    async def complete(self, operation_id: str) -> None:
        await self.send({"id": operation_id, "type": "complete"})

    async def close(self) -> None:
        await self.to_server.put({"type": "websocket.disconnect", "code": 1000})
        if self.task is not None:
            await asyncio.wait_for(self.task, WAIT_SECONDS)


@asynccontextmanager
async def graphql_ws(
    app: ASGIApp, headers: dict[str, str] | None = None
) -> AsyncIterator[GraphQLWsClient]:
    client = GraphQLWsClient(app, {**BROWSER_HEADERS, **(headers or {})})
    await client.open()
    try:
        yield client
    finally:
        await client.close()
