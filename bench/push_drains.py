"""Drain processes for bench/push_scale.py's campaign run with `--drains N`: what N more workers
do while one worker's campaign job queues the pages. Each process claims due outbox rows
(claims are fenced, so no row is sent twice) and sends them through the real firebase-admin
path to the bench's fake FCM, until it is told to stop.

    python -m bench.push_drains URI DATABASE TENANT FCM_PORT

Sending costs about 0.4 ms of CPU per message in one process (README, push_send): a single
worker tops out near 2,000 messages/s, so a campaign finishing in a minute needs its sending
spread over processes, as a deployment with several workers spreads it."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvloop

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from mongo.client import open_database
from mongo.store import build_deps
from notifications.dispatch import MAX_BATCHES, drain
from notifications.fcm import fewer_collections
from notifications.pace import Pace

IDLE = 0.02  # seconds between polls while the campaign job has queued nothing new


@contextmanager
def drain_processes(
    count: int, uri: str, database: str, tenant: str, fcm_port: int, cpu: list[float]
) -> Iterator[None]:
    """Appends to `cpu` what each process spent from "ready" until it was stopped."""
    argv = [sys.executable, "-m", "bench.push_drains", uri, database, tenant, str(fcm_port)]
    processes = [subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) for _ in range(count)]
    try:
        for process in processes:  # started and connected: their start-up is not timed
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            out, _ = process.communicate(timeout=30)
            if out.startswith("cpu "):
                cpu.append(float(out.split()[1]))


async def drain_until_stopped(uri: str, database: str, slug: str, fcm_port: str) -> None:
    from bench.push_scale import fcm_sender_at

    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    database_ = open_database(uri, database)
    deps = build_deps(database_, FrozenClock(), WalletBroker(), images=PillowImages())
    tenant = await deps.tenants.get(slug)
    assert tenant is not None
    with tempfile.TemporaryDirectory() as folder, fewer_collections():
        sender = fcm_sender_at(int(fcm_port), Path(folder))
        pace = Pace(max_wave=sender.batch_size, wave=sender.batch_size)
        await database_.db.command("ping")
        print("ready", flush=True)
        began = time.process_time()
        try:
            while not stopping.is_set():
                handled = await drain(
                    deps, tenant, sender, limit=1000, pace=pace, max_batches=MAX_BATCHES
                )
                if not handled:
                    await asyncio.sleep(IDLE)
        finally:
            await sender.aclose()
            print(f"cpu {time.process_time() - began:.2f}", flush=True)


if __name__ == "__main__":
    uvloop.run(drain_until_stopped(*sys.argv[1:5]))  # as `loyalty worker` runs
