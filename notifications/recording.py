"""The sender used without Firebase credentials: every push is logged and kept in memory, and
the outbox marks it SENT with sender "log", so the demo and tests show the whole pipeline."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from loyalty.notifications import PushMessage, PushResult

log = logging.getLogger("loyalty.push")


class RecordingSender:
    name = "log"
    batch_size = 500

    def __init__(self, keep: int = 10_000) -> None:
        self.sent: list[PushMessage] = []
        self._keep = keep

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        for message in messages:
            log.info("push to %s…: %s | %s", message.token[:12], message.title, message.body)
        self.sent = [*self.sent, *messages][-self._keep :]
        return [PushResult() for _ in messages]
