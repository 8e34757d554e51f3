"""The real app under uvicorn on 127.0.0.1, on a free port, in a background thread, with the
demo tenant seeded on `memory://`: what the console's browser tests talk to."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import uvicorn

from api.app import Runtime, build_runtime, create_app
from api.demo import DemoCredentials, seed_demo
from api.settings import Settings
from mongo.indexes import ensure_indexes

T = TypeVar("T")


@dataclass
class ConsoleServer:
    base_url: str
    credentials: DemoCredentials
    server: uvicorn.Server
    thread: threading.Thread
    runtime: Runtime
    loop: asyncio.AbstractEventLoop

    @property
    def admin_key(self) -> str:
        return self.credentials.admin_api_key

    def run(self, job: Callable[[], Awaitable[T]], timeout: float = 30.0) -> T:
        """Runs `job` on the server's own loop (the in-memory store belongs to it), as the
        scheduler would between two requests, and returns its result."""

        async def call() -> T:
            return await job()

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(timeout)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(timeout: float = 60.0) -> ConsoleServer:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # No rate limits: one browser session makes many admin calls in a burst.
    runtime = build_runtime(Settings(public_url=base_url, rate_limit_scale=0, log_level="WARNING"))
    app = create_app(runtime)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    seeded: list[DemoCredentials] = []
    failures: list[BaseException] = []
    loops: list[asyncio.AbstractEventLoop] = []

    def run() -> None:
        # The in-memory store belongs to one event loop: seed and serve on the same one.
        loop = asyncio.new_event_loop()
        loops.append(loop)
        try:
            loop.run_until_complete(ensure_indexes(runtime.database.db))
            seeded.append(loop.run_until_complete(seed_demo(runtime.deps)))
            loop.run_until_complete(server.serve())
        except BaseException as exc:  # reported to the waiting test below
            failures.append(exc)
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="console-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not (seeded and server.started):
        if failures:
            raise RuntimeError("the test server failed to start") from failures[0]
        if time.monotonic() > deadline:
            raise TimeoutError("the test server did not start in time")
        time.sleep(0.05)
    return ConsoleServer(base_url, seeded[0], server, thread, runtime, loops[0])
