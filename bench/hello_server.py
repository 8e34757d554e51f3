"""The stack's ceiling for bench/http_bench.py: plain Starlette answering "hello" under the same
uvicorn set-up as the app (uvloop, httptools, one worker)."""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route


async def hello(request: Request) -> Response:
    return PlainTextResponse("hello")


async def traces(request: Request) -> Response:
    """An OTLP/HTTP sink for the traced app server: spans are taken and dropped."""
    await request.body()
    return Response(status_code=200)


app = Starlette(
    routes=[
        Route("/hello", hello, methods=["GET", "POST"]),
        Route("/v1/traces", traces, methods=["POST"]),
    ]
)

if __name__ == "__main__":
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )
