"""Which push sender the process uses: FCM with credentials, the recording sender without."""

from __future__ import annotations

from api.settings import Settings
from loyalty.notifications import PushSender
from notifications.recording import RecordingSender


def build_sender(settings: Settings) -> PushSender:
    if settings.fcm_credentials:
        from notifications.fcm import FcmSender

        return FcmSender(settings.fcm_credentials)
    return RecordingSender()
