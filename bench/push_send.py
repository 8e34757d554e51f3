"""Sending pushes: the real firebase-admin path (`FcmSender.send` -> `send_each_async` -> the
sender's HTTP client) against bench/fast_fcm.py, the fake endpoint's own ceiling in the same
run, and how the client and the sender's knobs move the rate. Prints a table; asserts nothing
about time.

    .venv/bin/python -m bench.push_send [--messages 4000] [--fake-workers 2] [--quick]
                                        [--rows 2,6]

Ceiling: raw pipelined HTTP/1.1 POSTs from separate processes (no HTTP library in the way),
so the number says what the fake can answer, not what a client can ask. Each sender row runs
in fresh processes (`procs`) that split the messages between them; messages/s is counted from
a common start to the last answer. CPU per message: the sender processes' own, and the fake's
workers' during that row."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.fast_fcm import FastFcm
from loyalty.devices import DevicePlatform
from loyalty.notifications import PushMessage
from tests.api.fake_fcm import service_account

WAVE = 500  # what one drain hands the sender per call


@dataclass(frozen=True)
class Setup:
    label: str
    slice_size: int = 250
    parallel: int = 2
    client: str = "aiohttp"  # notifications/fcm.py's clients, or "httpx-aiohttp" (see below)
    connections: int = 100
    http2: bool = True  # for the httpx client
    procs: int = 1
    uvloop: bool = True  # as `loyalty worker` and `loyalty serve` run
    stock: bool = False  # the SDK's own client and auth, as notifications/fcm.py first had it
    collect: bool = True  # notifications/fcm.py's `fewer_collections`, as api/push.py sets it


SETUPS = [
    Setup("before: SDK client, 500 per call, HTTP/1.1", 500, 1, "httpx", 8, False, 1, False, True),
    Setup(
        "before: httpx + h2, 100 per call x 2 (the default until now)",
        100,
        2,
        "httpx",
        uvloop=False,
    ),
    Setup("httpx + httpx-aiohttp transport, 100 conns", client="httpx-aiohttp"),
    Setup("aiohttp, 8 conns", connections=8),
    Setup("aiohttp, 32 conns", connections=32),
    Setup("aiohttp, 100 conns (the default)"),
    Setup("aiohttp, 100 conns, asyncio's own loop", uvloop=False),
    Setup("aiohttp, 100 conns, 500 per call", 500, 1),
    Setup("aiohttp, 100 conns, 100 per call x 4", 100, 4),
    Setup("aiohttp, 100 conns, 2 sender processes", procs=2),
    Setup("aiohttp, 100 conns, 3 sender processes", procs=3),
    Setup("aiohttp, 100 conns, Python's default garbage collection", collect=False),
]
QUICK = [SETUPS[1], SETUPS[5], SETUPS[9]]


def messages(start: int, count: int) -> list[PushMessage]:
    return [
        PushMessage(
            token=f"tok-{index}",
            platform=DevicePlatform.ANDROID,
            title="Ramadan Kareem",
            body="Double points on every order until Eid.",
            data={"kind": "CAMPAIGN", "link": "loyalty://home", "campaignId": "c1"},
            collapse_key="campaign",
            ttl_seconds=None,
        )
        for index in range(start, start + count)
    ]


def _stock_sender(path: str) -> Any:
    """notifications/fcm.py before tuning: the SDK's HttpxAsyncClient, 500 per call."""
    import firebase_admin
    from firebase_admin import _http_client, credentials, messaging
    from firebase_admin._retry import HttpxRetry

    from notifications.fcm import FcmSender
    from notifications.fcm_bodies import install

    sender = FcmSender.__new__(FcmSender)
    sender._messaging = messaging
    sender._exceptions = firebase_admin.exceptions
    sender._app = firebase_admin.initialize_app(credentials.Certificate(path), name="stock")
    service = sender._service = messaging._get_messaging_service(sender._app)
    service._async_client = _http_client.HttpxAsyncClient(
        credential=service._credential, retry_config=HttpxRetry(max_retries=0), timeout=30
    )
    sender._sound, sender._badge, sender._clock = "default", None, time.time
    sender._slice, sender._parallel = 500, 1
    install(service)
    sender._encode = type(service).encode_message
    return sender


def _over_aiohttp_transport(sender: Any, connections: int) -> None:
    """The first thing tried: the SDK's httpx client kept, its transport swapped for aiohttp's
    (httpx-aiohttp, as the OpenAI SDK uses it)."""
    import httpx
    from firebase_admin import _http_client
    from httpx_aiohttp import AiohttpTransport

    from notifications.fcm import CachedTokenAuth

    service = sender._service
    service._async_client._async_client = httpx.AsyncClient(
        timeout=30,
        headers=dict(_http_client.METRICS_HEADERS),
        auth=CachedTokenAuth(service._credential),
        transport=AiohttpTransport(limits=httpx.Limits(max_connections=connections)),
    )


def _send_worker(
    setup: Setup, path: str, url: str, start: int, count: int, ready: Any, go: Any, out: Any
) -> None:
    from firebase_admin import messaging

    from notifications.fcm import FcmSender, fewer_collections

    messaging._MessagingService.FCM_URL = url
    if setup.stock:
        sender = _stock_sender(path)
    else:
        # Without TLS there is no ALPN: HTTP/2 by prior knowledge (what ALPN picks against
        # the real FCM), else HTTP/1.1.
        transport = {"http1": False} if setup.http2 else {}
        sender = FcmSender(
            path,
            slice_size=setup.slice_size,
            parallel=setup.parallel,
            client="aiohttp" if setup.client == "aiohttp" else "httpx",
            connections=setup.connections,
            transport=transport,
        )
        if setup.client == "httpx-aiohttp":
            _over_aiohttp_transport(sender, setup.connections)
    batch = messages(start, count)

    async def run() -> tuple[int, float]:
        await sender.send(batch[:10])  # the token and the connections, before the clock
        with fewer_collections() if setup.collect else contextlib.nullcontext():
            return await timed()

    async def timed() -> tuple[int, float]:
        ready.set()
        go.wait()
        began = time.perf_counter()
        cpu[0] = time.process_time()
        ok = 0
        for first in range(10, len(batch), WAVE):
            results = await sender.send(batch[first : first + WAVE])
            ok += sum(1 for result in results if result.ok)
        ended = time.perf_counter()
        cpu[0] = time.process_time() - cpu[0]
        await sender.aclose()
        return ok, ended - began

    cpu = [0.0]
    if setup.uvloop:
        import uvloop

        ok, seconds = uvloop.run(run())
    else:
        ok, seconds = asyncio.run(run())
    out.put((ok, seconds, cpu[0]))


def measure_sender(setup: Setup, path: str, url: str, total: int) -> tuple[float, int, float]:
    """(messages per second, messages answered 200, CPU ms per message)."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    go = context.Event()
    share = total // setup.procs
    workers = []
    readies = []
    for index in range(setup.procs):
        ready = context.Event()
        readies.append(ready)
        workers.append(
            context.Process(
                target=_send_worker,
                args=(setup, path, url, index * 1_000_000, share + 10, ready, go, out),
            )
        )
    for worker in workers:
        worker.start()
    for ready in readies:
        ready.wait(120)
    began = time.perf_counter()
    go.set()
    results = [out.get(timeout=900) for _ in workers]
    wall = time.perf_counter() - began
    for worker in workers:
        worker.join(10)
    ok = sum(r[0] for r in results)
    cpu = sum(r[2] for r in results)
    return ok / wall, ok, cpu * 1000 / max(ok, 1)


def _pipeline_worker(port: int, seconds: float, connections: int, depth: int, out: Any) -> None:
    import uvloop

    body = b'{"message":{"token":"tok-0","notification":{"title":"t","body":"b"}}}'
    request = (
        b"POST /v1/projects/loyalty-test/messages:send HTTP/1.1\r\nHost: fcm\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    ) * depth

    async def one(deadline: float) -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        answered = 0
        while time.perf_counter() < deadline:
            writer.write(request)
            seen = 0
            while seen < depth:
                chunk = await reader.read(1 << 20)
                seen += chunk.count(b"HTTP/1.1 ")
            answered += seen
        writer.close()
        return answered

    async def run() -> int:
        deadline = time.perf_counter() + seconds
        return sum(await asyncio.gather(*(one(deadline) for _ in range(connections))))

    out.put(uvloop.run(run()))


def measure_ceiling(fake: FastFcm, seconds: float, generators: int) -> float:
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    before = fake.answered()
    began = time.perf_counter()
    workers = [
        context.Process(target=_pipeline_worker, args=(fake.port, seconds, 4, 64, out))
        for _ in range(generators)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        out.get(timeout=seconds + 60)
    wall = time.perf_counter() - began
    for worker in workers:
        worker.join(10)
    return (fake.answered() - before) / wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--fake-workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true", help="three rows instead of all")
    parser.add_argument("--rows", help="row numbers (from 1) to run, e.g. 2,6")
    args = parser.parse_args()
    setups = QUICK if args.quick else SETUPS
    if args.rows:
        setups = [SETUPS[int(number) - 1] for number in args.rows.split(",")]
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    fake = FastFcm(workers=args.fake_workers)

    class Endpoint:
        port = fake.port

    rows: list[tuple[str, ...]] = []
    try:
        time.sleep(0.3)
        ceiling = measure_ceiling(fake, args.seconds, 2)
        rows.append(
            (
                f"fake FCM ceiling ({args.fake_workers} workers, pipelined)",
                f"{ceiling:,.0f}",
                "",
                "",
                "",
            )
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = str(service_account(Path(tmp), Endpoint()))  # type: ignore[arg-type]
            for setup in setups:
                fake_cpu = fake.cpu_seconds()
                rate, ok, cpu = measure_sender(setup, path, fake.fcm_url, args.messages)
                fake_ms = (fake.cpu_seconds() - fake_cpu) * 1000 / max(ok, 1)
                rows.append((setup.label, f"{rate:,.0f}", f"{ok}", f"{cpu:.3f}", f"{fake_ms:.3f}"))
                print(f"  {setup.label}: {rate:,.0f}/s", flush=True)
        after = measure_ceiling(fake, args.seconds, 2)
        rows.append(("fake FCM ceiling, again at the end", f"{after:,.0f}", "", "", ""))
    finally:
        fake.stop()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    head = ("sending path", "messages/s", "answered", "sender CPU ms/msg", "fake CPU ms/msg")
    print_table(head, rows)


def print_table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
