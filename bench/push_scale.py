"""Push at scale, end to end: (2) selecting and rendering N expiring-points reminders into the
outbox, and (3) an N-member campaign from `sendAt` to the last SENT, with the sender's peak
memory. Prints a table; asserts nothing about time.

    .venv/bin/python -m bench.push_scale [--members 10000] [--store devstore|memory]
        [--sender fcm|null] [--procs 1] [--skip reminders|campaign]

Store: `devstore` starts `loyalty devstore` in its own process (the wire protocol over the
embedded engine: what a developer runs); `memory` is the in-process test store. Seeding (members
with one Android device each, half Arabic) is not timed. Sender: `fcm` is the real
firebase-admin path to bench/fast_fcm.py (whose ceiling is measured in the same run), `null`
answers every message at once: the pipeline's own ceiling (store, screening, bookkeeping)."""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
from collections.abc import Awaitable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import uvloop

from api.events import WalletBroker
from bench.expiring_members import seed_expiring_members
from bench.fast_fcm import FastFcm
from bench.push_drains import drain_processes
from bench.push_send import measure_ceiling, print_table
from bench.scale_runs import start_devstore
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.notifications import NotificationStatus, PushMessage, PushResult
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.tenants import Tenant
from loyalty.usecases.campaigns import create_campaign
from loyalty.usecases.tenants import create_tenant
from mongo.client import Database, open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps
from notifications.campaigns import run_due_campaigns
from notifications.dispatch import drain
from notifications.fcm import fewer_collections
from notifications.pace import Pace
from notifications.reminders import queue_expiry_reminders
from tests.api.fake_fcm import service_account

T = TypeVar("T")


class NullSender:
    """Accepts everything at once: what the pipeline does without HTTP."""

    name = "null"
    batch_size = 500

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        return [PushResult() for _ in messages]

    async def aclose(self) -> None:
        pass


async def closing(sender: Any, work: Awaitable[T]) -> T:
    """`work`, then the sender's connections closed on the loop that opened them."""
    try:
        return await work
    finally:
        await sender.aclose()


async def fresh(uri: str, name: str, members: int) -> tuple[Database, Deps, Tenant, FrozenClock]:
    clock = FrozenClock()
    database = open_database(uri, name)
    deps = build_deps(database, clock, WalletBroker(), images=PillowImages())
    created = await create_tenant(deps, slug=name, name=name, currency="SAR", default_locale="ar")
    await seed_expiring_members(database.db, created.tenant, clock, members)
    # Indexes after the bulk load: the memory store checks unique indexes by scanning, which
    # makes seeding quadratic (the timed runs have every index).
    await ensure_indexes(database.db, expire=False)
    return database, deps, created.tenant, clock


async def reminders(uri: str, members: int, cpu: CpuMark) -> tuple[int, float]:
    database, deps, tenant, _ = await fresh(uri, "reminders", members)
    cpu.start()
    began = time.perf_counter()
    queued = await queue_expiry_reminders(deps, tenant)
    seconds = time.perf_counter() - began
    written = await database.db["outbox"].count_documents({"tenant": tenant.slug})
    assert written == queued == members, (written, queued)
    return queued, seconds


async def campaign(
    uri: str, members: int, sender: Any, cpu: CpuMark, page: int, drains: Drains | None = None
) -> tuple[int, float, dict[str, int]]:
    """From sendAt (the campaign is due) to the last row SENT: the campaign job queues the
    pages and sends as it goes, through the drain's claim. With `drains`, that many drain
    processes send beside it, as other workers' push-send jobs do."""
    database, deps, tenant, _ = await fresh(uri, "campaign", members)
    text = LocalizedText(ar="رمضان كريم", en="Ramadan Kareem")
    await create_campaign(
        deps,
        tenant,
        name="ramadan",
        segment=None,
        tier_id=None,
        title=text,
        body=text,
        send_at=None,
    )
    others = (
        drain_processes(drains.count, uri, "campaign", tenant.slug, drains.fcm_port, cpu.drains)
        if drains is not None
        else nullcontext()
    )
    outbox = database.db["outbox"]
    with others:
        pace = Pace(max_wave=sender.batch_size, wave=sender.batch_size)
        cpu.start()
        began = time.perf_counter()
        await run_due_campaigns(deps, tenant, max_pages=10**6, page=page, sender=sender, pace=pace)
        # Rows the drain processes still hold, or left behind: until every row is decided.
        while await outbox.find_one(
            {"tenant": tenant.slug, "status": {"$in": ["PENDING", "SENDING"]}}, {"_id": 1}
        ):
            handled = await drain(deps, tenant, sender, limit=page, pace=pace, max_batches=1)
            if not handled:
                await asyncio.sleep(0.02)
        seconds = time.perf_counter() - began
    by_status = {
        status.value: await outbox.count_documents({"tenant": tenant.slug, "status": status.value})
        for status in NotificationStatus
    }
    return by_status.get("SENT", 0), seconds, by_status


@dataclass(frozen=True)
class Drains:
    count: int
    fcm_port: int


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU of this process, or of the dev store's (from /proc)."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMark:
    """CPU spent since `start` by this process, the drain processes (counted when they stop),
    the dev store and the fake FCM's workers: all of it shares the machine's cores."""

    def __init__(self, store_pid: int | None, fake: FastFcm | None) -> None:
        self.pid = store_pid
        self.fake = fake
        self.drains: list[float] = []
        self.at = (0.0, 0.0, 0.0)

    def now(self) -> tuple[float, float, float]:
        store = cpu_seconds(self.pid) if self.pid else 0.0
        fake = self.fake.cpu_seconds() if self.fake is not None else 0.0
        return cpu_seconds(None), store, fake

    def start(self) -> None:
        self.at = self.now()
        self.drains.clear()

    def spent(self) -> str:
        bench, store, fake = (now - at for now, at in zip(self.now(), self.at, strict=True))
        drains = sum(self.drains)
        return f"{bench:.1f} + {drains:.1f} + {store:.1f} + {fake:.1f}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fcm_sender_at(port: int, folder: Path) -> Any:
    """The real FCM sender (its default client) aimed at the bench's fake on `port`."""
    from firebase_admin import messaging

    from notifications.fcm import FcmSender

    class Endpoint:
        pass

    Endpoint.port = port  # type: ignore[attr-defined]
    messaging._MessagingService.FCM_URL = f"http://127.0.0.1:{port}/v1/projects/{{0}}/messages:send"
    path = service_account(folder, Endpoint())  # type: ignore[arg-type]
    return FcmSender(str(path))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--store", choices=["devstore", "memory"], default="devstore")
    parser.add_argument("--sender", choices=["fcm", "null"], default="fcm")
    parser.add_argument("--page", type=int, default=1000, help="campaign page (rows per batch)")
    parser.add_argument("--skip", choices=["reminders", "campaign"], action="append", default=[])
    parser.add_argument(
        "--drains", type=int, default=0, help="drain processes sending beside the campaign job"
    )
    args = parser.parse_args()
    store = None
    uri = "memory://"
    if args.store == "devstore":
        store, uri = start_devstore()
    fake = FastFcm(workers=2) if args.sender == "fcm" else None
    rows: list[tuple[str, ...]] = []
    where = f"{args.store}, {args.members:,} members"
    mark = CpuMark(store.pid if store is not None else None, fake)

    def row(label: str, count: int, seconds: float) -> None:
        spent = mark.spent()
        rate = f"{count / seconds:,.0f}"
        rows.append((label, f"{count:,}", f"{seconds:.1f}", rate, spent, f"{peak_rss_mb():.0f}"))
        print(rows[-1], flush=True)

    try:
        if "reminders" not in args.skip:
            queued, seconds = uvloop.run(reminders(uri, args.members, mark))
            row(f"(2) select + render reminders ({where})", queued, seconds)
        if "campaign" not in args.skip:
            with tempfile.TemporaryDirectory() as folder:
                sender = NullSender() if fake is None else fcm_sender_at(fake.port, Path(folder))
                drains = Drains(args.drains, fake.port) if fake and args.drains else None
                with fewer_collections():  # as `loyalty worker` sends (api/push.py, on uvloop)
                    sent, seconds, by_status = uvloop.run(
                        closing(
                            sender, campaign(uri, args.members, sender, mark, args.page, drains)
                        )
                    )
            label = f"(3) campaign sendAt -> last SENT ({where}, sender {args.sender})"
            if drains is not None:
                label += f", {drains.count} drain processes beside it"
            row(label, sent, seconds)
            print(by_status, flush=True)
        if fake is not None:
            ceiling = measure_ceiling(fake, 3.0, 2)
            rows.append(("fake FCM ceiling, same run", "", "", f"{ceiling:,.0f}", "", ""))
    finally:
        if fake is not None:
            fake.stop()
        if store is not None:
            store.kill()
            store.wait(10)
    print_table(("run", "rows", "seconds", "per second", "CPU s", "peak RSS MB"), rows)
    print(
        "CPU s: this process + drain processes + dev store + fake FCM, counted from the timed"
        " part only (seeding excluded)."
    )


if __name__ == "__main__":
    main()
