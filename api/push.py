"""Which push sender the process uses: FCM with credentials, the recording sender without."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from api.settings import Settings
from loyalty.notifications import PushSender
from notifications.recording import RecordingSender


@contextlib.asynccontextmanager
async def push_sender(settings: Settings) -> AsyncIterator[PushSender]:
    """The sender for the life of the process; FCM's connections are closed on its loop when
    the process stops (aiohttp warns of a session left open). While an FCM sender lives, the
    process collects garbage less often (`fewer_collections`: less CPU per push)."""
    if not settings.fcm_credentials:
        yield RecordingSender()
        return
    from notifications.fcm import FcmSender, fewer_collections

    sender = FcmSender(settings.fcm_credentials)
    try:
        with fewer_collections():
            yield sender
    finally:
        await sender.aclose()  # (`close` runs a loop of its own: not from inside one)
