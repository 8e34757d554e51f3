"""What the bulk benches share: which store (a URI, the in-process memory store, or a dev store
started for the run), one child process per size so each size's peak RSS is its own, and the
resident-memory figures.

A size runs in a child (`--one N`), which prints one JSON line of results; the parent prints
the table. Flat memory shows as the same worker peak at 10,000 and at 100,000 members."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb(pid: int | None = None) -> float:
    """This process's peak resident memory, or another one's (VmHWM, Linux)."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def arguments(doc: str, sizes: list[int], noun: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(
        f"--{noun}", type=int, nargs="+", default=sizes, help=f"{noun} per run (one run each)"
    )
    parser.add_argument(
        "--uri",
        default=os.environ.get("LOYALTY_BENCH_MONGODB_URI", "memory://"),
        help="memory:// (in-process), a MongoDB URI, or a running dev store's URI",
    )
    parser.add_argument(
        "--devstore", action="store_true", help="start `loyalty devstore` for the run"
    )
    parser.add_argument("--batch", type=int, default=500, help="the worker's page size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child's single size
    return parser.parse_args()


def start_devstore() -> tuple[subprocess.Popen[str], str]:
    """`loyalty devstore` on a free port, in its own process, and the URI it listens on."""
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "devstore", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("devstore listening on "):
        process.kill()
        raise SystemExit(f"no dev store: {line!r}")
    return process, line.split()[-1]


@contextmanager
def store(args: argparse.Namespace) -> Iterator[tuple[str, int | None]]:
    """The URI to use and, when this run started a dev store, its pid (stopped at the end)."""
    if not args.devstore:
        yield args.uri, None
        return
    process, uri = start_devstore()
    try:
        # The dev store runs one command at a time: a scan of 100,000 documents holds it past
        # the driver's heartbeat timeout (connectTimeoutMS, 20 s), which would cancel the
        # command. A real server needs none of this.
        yield uri + "?connectTimeoutMS=900000", process.pid
    finally:
        process.terminate()
        process.wait(120)


def child(module: str, size: int, uri: str, batch: int) -> dict[str, Any]:
    """Runs one size in a fresh process; its last stdout line is the JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", module, "--one", str(size), "--uri", uri, "--batch", str(batch)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(result: dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)


Column = tuple[str, str, Callable[[Any], str]]  # title, result key, how it is shown


def header(columns: list[Column]) -> None:
    print("   ".join(title for title, _, _ in columns), flush=True)


def line(row: dict[str, Any], columns: list[Column]) -> None:
    cells = [show(row[key]).rjust(len(title)) for title, key, show in columns]
    print("   ".join(cells), flush=True)


def megabytes(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def where(uri: str, devstore: bool) -> str:
    if devstore:
        return "a dev store started for the run (loyalty devstore, no data file)"
    return uri.split("@")[-1]


def run_sizes(
    doc: str,
    noun: str,
    module: str,
    measure: Callable[[str, int, int], Awaitable[dict[str, Any]]],
    columns: list[Column],
    derive: Callable[[dict[str, Any]], None],
) -> None:
    """A bench's main: as a child (`--one N`), `measure` one size and print its result; as the
    parent, one child per size on the chosen store, `derive` adding the rates to each result,
    and one table row per size with the dev store's peak memory so far."""
    args = arguments(doc, [10_000, 50_000, 100_000], noun)
    if args.one is not None:
        report(asyncio.run(measure(args.uri, args.one, args.batch)))
        return
    sizes: list[int] = getattr(args, noun)
    with store(args) as (uri, store_pid):
        print(f"store: {where(uri, args.devstore)}; worker pages of {args.batch}", flush=True)
        header(columns)
        for size in sizes:
            row = child(module, size, uri, args.batch)
            derive(row)
            row["store_mb"] = peak_rss_mb(store_pid) if store_pid else None
            line(row, columns)
