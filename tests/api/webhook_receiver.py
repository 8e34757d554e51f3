"""A merchant's webhook receiver for tests: a real HTTP server (uvicorn) on 127.0.0.1 that
records what it got and answers the status codes it was told to.

Endpoints are registered with their real-looking https URL on a public host; the sender looks
the name up with `public_dns` (a public address, as a real name server would answer) and its
transport then sends every request to this server instead (the product accepts only https
endpoints on public addresses)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

# A public address (example.com's, RFC 2606); nothing connects to it: the transport diverts.
PUBLIC_ADDRESS = "93.184.215.14"


async def public_dns(host: str, port: int) -> list[str]:
    return [PUBLIC_ADDRESS]


@dataclass
class Received:
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    port: int = 0
    received: list[Received] = field(default_factory=list)
    # Status codes for the next requests, in order; 200 once they run out.
    answers: list[int] = field(default_factory=list)
    always: int | None = None

    async def handle(self, request: Request) -> Response:
        self.received.append(Received(dict(request.headers), (await request.body()).decode()))
        status = self.always or (self.answers.pop(0) if self.answers else 200)
        return PlainTextResponse("ok", status_code=status)

    def transport(self) -> httpx.AsyncBaseTransport:
        return _ToLocal(self.port)


class _ToLocal(httpx.AsyncBaseTransport):
    def __init__(self, port: int) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._port = port

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@contextlib.asynccontextmanager
async def running_receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/{path:path}", receiver.handle, methods=["POST"])])
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    await asyncio.wait_for(server.ready.wait(), timeout=10)
    receiver.port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
