"""A push worker killed (SIGKILL) in the middle of a batch, on the dev store and the real
firebase-admin sender: after its hold lapses another drain finishes the batch, and no device
gets a push twice. Waves the dead worker recorded stay recorded, rows it never handed over are
sent by the next drain, and the wave it had in flight is recorded SENT (UNCONFIRMED) without
being handed to FCM again."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.notifications import NotificationKind
from mongo.client import open_database
from mongo.devstore.server import DevStore, build_engine
from mongo.indexes import ensure_indexes
from mongo.store import build_deps
from notifications.dispatch import HOLD, drain
from notifications.outbox import queue
from tests.api.fake_fcm import FakeFcm, serve, service_account
from tests.store.workers import GatedSender, tenant_with_devices

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 60
WAVE = 10


def _kill_mid_batch(args: list[str], fake: FakeFcm) -> int:
    """Starts the worker, SIGKILLs it once FCM got a wave and a half; how many FCM got then.
    (Blocking on purpose: the dev store and the fake FCM answer from their own threads.)"""
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.push_worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready", worker.stderr and worker.stderr.read()
        deadline = time.monotonic() + 120
        while len(fake.sent) < WAVE + WAVE // 2 and time.monotonic() < deadline:
            time.sleep(0.002)
        worker.kill()
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    return len(fake.sent)


@pytest.fixture
def store() -> Iterator[DevStore]:
    store = DevStore(build_engine(None), "127.0.0.1", 0)
    store.start()
    yield store
    store.stop()


@pytest.fixture
def fake() -> Iterator[FakeFcm]:
    yield from serve()


async def test_a_worker_killed_mid_batch_sends_no_push_twice(
    store: DevStore, fake: FakeFcm, tmp_path: Path
) -> None:
    # given sixty members with a device each and a push queued for each, on the dev store
    uri = f"mongodb://127.0.0.1:{store.port}/"
    database = open_database(uri, "kill")
    await ensure_indexes(database.db, expire=False)
    clock = FrozenClock()
    deps = build_deps(database, clock, WalletBroker(), images=PillowImages())
    tenant, members = await tenant_with_devices(deps, clock, MEMBERS)
    for member in members:
        texts = ("Gold", "Welcome to Gold")
        kind = NotificationKind.TIER_UPGRADED
        await queue(deps, tenant, member, kind, f"t:{member.id}", {}, texts=texts)
    # when a worker process sending them in waves of ten is killed once FCM got a wave and a
    # half
    account = service_account(tmp_path, fake)
    args = [uri, "kill", "acme", fake.fcm_url, str(account), clock.now().isoformat(), str(WAVE)]
    at_kill = _kill_mid_batch(args, fake)
    assert WAVE + WAVE // 2 <= at_kill < MEMBERS  # it died in the middle of the batch
    # and another drain runs once the dead worker's hold has lapsed
    clock.advance(HOLD + timedelta(minutes=1))
    after = GatedSender("after")
    while await drain(deps, tenant, after):
        pass
    # then no device got the push twice, every row is finished, at most the wave that was in
    # flight is unconfirmed, and everything else reached a device
    first = [m["message"]["token"] for m in fake.sent]
    sent = Counter(first + after.tokens)
    assert [token for token, times in sent.items() if times > 1] == []
    docs = await database.db["outbox"].find({}).to_list(None)
    assert {doc["status"] for doc in docs} == {"SENT"}
    unconfirmed = [doc for doc in docs if doc["reason"] == "UNCONFIRMED"]
    assert len(unconfirmed) <= WAVE
    assert len(sent) >= MEMBERS - len(unconfirmed)
    await database.close()
