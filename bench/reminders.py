"""Expiring-points reminders at scale: N members with a lot expiring in 7 days and one Android
device each, on the memory store. Times selecting + rendering (the reminder job writing the
outbox) and draining the outbox through the real firebase-admin sender to a fake FCM endpoint
on 127.0.0.1. Prints numbers; asserts nothing about time.

    .venv/bin/python -m bench.reminders [--members 100000] [--send-sample 5000]

`--send-sample` caps how many outbox rows are drained through HTTP (the fake server is a
Python thread: it, not the pipeline, bounds that phase); the rate is reported per message."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from firebase_admin import messaging

from api.events import WalletBroker
from bench.expiring_members import seed_expiring_members
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.usecases.tenants import create_tenant
from mongo.client import open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps
from notifications.dispatch import drain
from notifications.fcm import FcmSender
from notifications.reminders import queue_expiry_reminders
from tests.api.fake_fcm import serve, service_account


async def main(members: int, send_sample: int, senders: list[FcmSender]) -> None:
    clock = FrozenClock()
    database = open_database("memory://", "bench")
    deps = build_deps(database, clock, WalletBroker(), images=PillowImages())
    created = await create_tenant(
        deps, slug="bench", name="Bench", currency="SAR", default_locale="ar"
    )
    tenant = created.tenant
    started = time.perf_counter()
    await seed_expiring_members(database.db, tenant, clock, members)
    # Indexes after the bulk load: the memory store checks unique indexes by scanning.
    await ensure_indexes(database.db, expire=False)  # a frozen clock: see ensure_indexes
    print(f"seeded {members} members in {time.perf_counter() - started:.1f}s")

    started = time.perf_counter()
    queued = await queue_expiry_reminders(deps, tenant)
    select_render = time.perf_counter() - started
    print(
        f"select + render: {queued} reminders in {select_render:.2f}s "
        f"({queued / select_render:,.0f} per second)"
    )

    for fake in serve():
        messaging._MessagingService.FCM_URL = fake.fcm_url
        with tempfile.TemporaryDirectory() as tmp:
            sender = FcmSender(str(service_account(Path(tmp), fake)))
            started = time.perf_counter()
            handled = 0
            while handled < min(send_sample, queued):
                handled += await drain(deps, tenant, sender, limit=500)
            send = time.perf_counter() - started
            await sender.aclose()
            senders.append(sender)  # closed outside the loop (the SDK runs its own)
        statuses = await database.db["outbox"].distinct("status")
        for status in statuses:
            count = await database.db["outbox"].count_documents({"status": status})
            print(f"  outbox {status}: {count}")
        print(
            f"drain to fake FCM: {len(fake.sent)} messages in {send:.2f}s "
            f"({len(fake.sent) / send:,.0f} messages per second)"
        )
    total = select_render + send * queued / max(len(fake.sent), 1)
    print(f"projected end to end for {queued}: {total:.1f}s ({queued / total:,.0f} msg/s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--send-sample", type=int, default=5_000)
    args = parser.parse_args()
    senders: list[FcmSender] = []
    asyncio.run(main(args.members, args.send_sample, senders))
    for sender in senders:
        sender.close()
