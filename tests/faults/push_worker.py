"""A push worker for the kill test, in its own process: drains one tenant's outbox through the
real firebase-admin sender in small waves, on the test's frozen time, until it is killed.

    python -m tests.faults.push_worker URI DB TENANT FCM_URL ACCOUNT_FILE AT WAVE"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from firebase_admin import messaging

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from mongo.client import open_database
from mongo.store import build_deps
from notifications.dispatch import drain
from notifications.fcm import FcmSender
from notifications.pace import Pace


async def main(uri: str, db: str, slug: str, account: str, at: str, wave: int) -> None:
    clock = FrozenClock(datetime.fromisoformat(at))
    deps = build_deps(open_database(uri, db), clock, WalletBroker(), images=PillowImages())
    sender = FcmSender(account, slice_size=wave, parallel=1)
    pace = Pace(max_wave=wave, wave=wave)
    tenant = await deps.tenants.get(slug)
    assert tenant is not None
    print("ready", flush=True)
    while True:
        await drain(deps, tenant, sender, pace=pace)
        await asyncio.sleep(0.01)


if __name__ == "__main__":
    uri, db, slug, fcm_url, account, at, wave = sys.argv[1:]
    messaging._MessagingService.FCM_URL = fcm_url
    asyncio.run(main(uri, db, slug, account, at, int(wave)))
