"""The real app under uvicorn on 127.0.0.1, on a free port, in a background thread, with the
demo tenant seeded on `memory://`: what the console's browser tests talk to."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from api.app import build_runtime, create_app
from api.demo import DemoCredentials, seed_demo
from api.settings import Settings
from mongo.indexes import ensure_indexes


@dataclass
class ConsoleServer:
    base_url: str
    credentials: DemoCredentials
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def admin_key(self) -> str:
        return self.credentials.admin_api_key

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

    def run() -> None:
        # The in-memory store belongs to one event loop: seed and serve on the same one.
        loop = asyncio.new_event_loop()
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
    return ConsoleServer(base_url, seeded[0], server, thread)
