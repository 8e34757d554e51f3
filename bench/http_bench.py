"""HTTP benchmark: each scenario as a share of the stack's ceiling, one command, one table.

    .venv/bin/python bench/http_bench.py [--seconds 5] [--connections 32] [--rounds 2]

Starts bench/hello_server.py (plain Starlette answering "hello": the ceiling) and
bench/bench_server.py (the real app under the same uvicorn set-up, uvloop and httptools, on the
store named by LOYALTY_MONGODB_URI, `memory://` by default), each in its own process, then
drives them from this process with a small asyncio HTTP/1.1 keep-alive client (one request in
flight per connection). Both servers must be started by this run: a port that already answers
is refused, and a server that dies is reported, so nothing else is ever measured by mistake.
Every scenario runs once per round, rounds interleaved, and each round's shares use that
round's ceiling. Machines differ; the shares are the point. Rate limits are off in the bench
server (one client hammering on purpose).

Tracing: every scenario above runs with OTEL_EXPORTER_OTLP_ENDPOINT unset, as a server runs by
default; then nothing is installed (api/tracing.py), so those rows are the untraced cost. Unless
`--no-tracing` is given, a third server, the same app with the variable set (exporting to a
sink in hello_server.py), answers the app-start query once more, so the table shows what
turning tracing on costs beside what it costs when off (nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP_START = (
    "{ me { wallet { balance pendingBalance expiringSoon { points expiresAt } }"
    " tier { tier { name } } } }"
)
LEADERBOARD = (
    "{ leaderboard(period: WEEK) { updatedAt entries { rank displayName score } "
    "me { rank score } } }"
)
RECORD_ORDER = (
    "mutation($input: RecordOrderInput!) { recordOrder(input: $input) "
    "{ pointsEarned member { wallet { balance } } userErrors { code } } }"
)


PROGRAM = "{ program { name currency pointsName { one other } } }"
ANONYMOUS = "{ __typename }"


def request_bytes(
    method: str, path: str, token: str | None, body: bytes = b"", tenant: str | None = None
) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    scoped = f"X-Tenant: {tenant}\r\n" if tenant else ""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: bench\r\n{auth}{scoped}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def port_answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start(script: str, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    """Our own server on a port nothing else holds, and only once it answers."""
    if port_answers(port):
        raise SystemExit(f"port {port} already answers: refusing to measure someone else")
    server = subprocess.Popen(
        [sys.executable, str(HERE / script), str(port)], stdout=subprocess.PIPE, env=env, text=True
    )
    return server


def wait_until_up(server: subprocess.Popen[str], port: int, name: str) -> None:
    deadline = time.monotonic() + 60
    while not port_answers(port):
        if server.poll() is not None:
            raise SystemExit(f"{name} exited with {server.returncode} before it served")
        if time.monotonic() > deadline:
            raise SystemExit(f"{name} did not start serving on port {port}")
        time.sleep(0.1)


async def connection(
    port: int, make: Callable[[], bytes], deadline: float, latencies: list[float]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        writer.write(make())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        body = await reader.readexactly(length)
        if status != 200 or b'"errors"' in body or b'"code":' in body:
            raise RuntimeError(f"bad answer {status}: {body[:200]!r}")
        latencies.append(time.perf_counter() - started)
    writer.close()


async def scenario(
    port: int, make: Callable[[], bytes], seconds: float, conns: int
) -> dict[str, float]:
    warm: list[float] = []
    await asyncio.gather(
        *(connection(port, make, time.perf_counter() + 0.5, warm) for _ in range(conns))
    )
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(connection(port, make, deadline, latencies) for _ in range(conns)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-tracing", dest="tracing", action="store_false")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    hello_port, traced_port = args.port + 1, args.port + 2
    servers = [start("bench_server.py", args.port, env), start("hello_server.py", hello_port, env)]
    scripts = ["bench_server.py", "hello_server.py"]
    if args.tracing:
        sink = f"http://127.0.0.1:{hello_port}"
        traced_env = {**env, "OTEL_EXPORTER_OTLP_ENDPOINT": sink, "OTEL_SERVICE_NAME": "bench"}
        servers.append(start("bench_server.py", traced_port, traced_env))
        scripts.append("bench_server.py (traced)")
    try:
        app, hello = servers[:2]
        assert app.stdout is not None
        creds = json.loads(app.stdout.readline())
        wait_until_up(app, args.port, "bench_server.py")
        wait_until_up(hello, hello_port, "hello_server.py")
        traced_token = ""
        if args.tracing:
            traced = servers[2]
            assert traced.stdout is not None
            traced_token = json.loads(traced.stdout.readline())["member_token"]
            wait_until_up(traced, traced_port, "bench_server.py (traced)")
        member, events = creds["member_token"], creds["events_key"]
        counter = itertools.count()

        def order_body(graphql: bool) -> bytes:
            order = {
                "memberExternalId": "c-1002",
                "orderId": f"b-{next(counter)}",
                "total": "120.00",
                "currency": "SAR",
            }
            if graphql:
                return json.dumps({"query": RECORD_ORDER, "variables": {"input": order}}).encode()
            return json.dumps(order).encode()

        def graphql(query: str) -> bytes:
            return json.dumps({"query": query}).encode()

        cases: dict[str, tuple[int, Callable[[], bytes]]] = {
            CEILING: (hello_port, lambda: request_bytes("GET", "/hello", None)),
            "app-start GraphQL": (
                args.port,
                lambda: request_bytes("POST", "/graphql", member, graphql(APP_START)),
            ),
            "app-start raw": (args.port, lambda: request_bytes("GET", "/raw/app-start", member)),
            **(
                {
                    "app-start, tracing on": (
                        traced_port,
                        lambda: request_bytes("POST", "/graphql", traced_token, graphql(APP_START)),
                    )
                }
                if args.tracing
                else {}
            ),
            "{ __typename } anonymous": (
                args.port,
                lambda: request_bytes("POST", "/graphql", None, graphql(ANONYMOUS)),
            ),
            "program (public)": (
                args.port,
                lambda: request_bytes("POST", "/graphql", None, graphql(PROGRAM), "bench"),
            ),
            # The ranks are precomputed, so this measures the GraphQL layer.
            "leaderboard GraphQL": (
                args.port,
                lambda: request_bytes("POST", "/graphql", member, graphql(LEADERBOARD)),
            ),
            "recordOrder GraphQL": (
                args.port,
                lambda: request_bytes("POST", "/graphql", events, order_body(True)),
            ),
            "recordOrder raw": (
                args.port,
                lambda: request_bytes("POST", "/raw/record-order", events, order_body(False)),
            ),
        }
        rounds: list[dict[str, dict[str, float]]] = []
        for _ in range(args.rounds):
            results: dict[str, dict[str, float]] = {}
            for name, (port, make) in cases.items():
                for server, script in zip(servers, scripts, strict=True):
                    if server.poll() is not None:
                        raise SystemExit(f"{script} died during the run")
                results[name] = asyncio.run(scenario(port, make, args.seconds, args.connections))
            rounds.append(results)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    print_table(rounds)


CEILING = "plain Starlette hello"


def print_table(rounds: list[dict[str, dict[str, float]]]) -> None:
    head = f"{'scenario':<26}"
    for n in range(1, len(rounds) + 1):
        head += f"{f'req/s #{n}':>12}{f'share #{n}':>10}{f'p99 ms #{n}':>12}"
    print(head)
    for name in rounds[0]:
        line = f"{name:<26}"
        for results in rounds:
            result, ceiling = results[name], results[CEILING]["rps"]
            share = result["rps"] / ceiling
            line += f"{result['rps']:>12.0f}{share:>10.1%}{result['p99']:>12.1f}"
        print(line)


if __name__ == "__main__":
    main()
