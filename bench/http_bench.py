"""HTTP benchmark: GraphQL against raw Starlette twins, one command, one table.

    .venv/bin/python bench/http_bench.py [--seconds 5] [--connections 32]

Starts bench/bench_server.py (the real app under uvicorn with uvloop and httptools, on the
store named by LOYALTY_MONGODB_URI, `memory://` by default) in its own process, then drives it
from this process with a small asyncio HTTP/1.1 keep-alive client (one request in flight per
connection). Both share one machine, so absolute numbers are modest; the ratios are the point.
Rate limits are off in the bench server (one client hammering on purpose).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
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


def request_bytes(method: str, path: str, token: str, body: bytes = b"") -> bytes:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


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
        if status != 200 or b'"errors"' in body or b'"code"' in body:
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
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    server = subprocess.Popen(
        [sys.executable, str(HERE / "bench_server.py"), str(args.port)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert server.stdout is not None
        creds = json.loads(server.stdout.readline())
        time.sleep(1.0)
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

        app_start = json.dumps({"query": APP_START}).encode()
        leaderboard = json.dumps({"query": LEADERBOARD}).encode()
        cases = {
            "app-start raw": lambda: request_bytes("GET", "/raw/app-start", member),
            "app-start GraphQL": lambda: request_bytes("POST", "/graphql", member, app_start),
            "recordOrder raw": lambda: request_bytes(
                "POST", "/raw/record-order", events, order_body(False)
            ),
            "recordOrder GraphQL": lambda: request_bytes(
                "POST", "/graphql", events, order_body(True)
            ),
            # No raw twin: the ranks are precomputed, so this measures the GraphQL layer.
            "leaderboard GraphQL": lambda: request_bytes("POST", "/graphql", member, leaderboard),
        }
        results = {
            name: asyncio.run(scenario(args.port, make, args.seconds, args.connections))
            for name, make in cases.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{'scenario':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'vs raw':>10}")
    for name, result in results.items():
        twin = results.get(name.replace("GraphQL", "raw"))
        ratio = f"{result['rps'] / twin['rps']:.0%}" if twin and "GraphQL" in name else ""
        print(
            f"{name:<22}{result['rps']:>10.0f}{result['p50']:>10.1f}{result['p99']:>10.1f}{ratio:>10}"
        )


if __name__ == "__main__":
    main()
