"""What a drain decided about its rows, collected and then written in bulk: one write per
outcome (status and reason), per wake-up time, and one for the dead tokens, each tied to the
drain's claim so a drain whose hold lapsed writes nothing.

Retryable failures (QUOTA_EXCEEDED, UNAVAILABLE, INTERNAL) put the row back to PENDING with
exponential backoff and full jitter, never sooner than the service's Retry-After. Dead tokens
(UNREGISTERED, INVALID_ARGUMENT) are forgotten. When some devices got the push and others hit
a retryable error, only those others are retried."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from loyalty.devices import Device
from loyalty.notification_ports import Postponement
from loyalty.notifications import Notification, NotificationStatus, PushError, PushResult
from loyalty.ports import Deps

MAX_ATTEMPTS = 6
BASE_DELAY = 30.0
MAX_DELAY = 3600.0
_DEAD = (PushError.UNREGISTERED, PushError.INVALID_ARGUMENT)


def backoff(attempt: int, retry_after: float | None, rng: random.Random | None = None) -> float:
    """Seconds to wait before attempt `attempt + 1`: full jitter over an exponential ceiling,
    but never less than what the service asked for."""
    ceiling = min(MAX_DELAY, BASE_DELAY * 2 ** max(attempt - 1, 0))
    delay = (rng or random).uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


@dataclass
class Outcomes:
    at: datetime
    sender: str
    finished: dict[tuple[NotificationStatus, str | None], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    rebodied: list[tuple[Notification, str]] = field(default_factory=list)
    later: list[Postponement] = field(default_factory=list)
    dead: list[str] = field(default_factory=list)
    handled: int = 0  # rows decided so far (the merchant's counts are read from the rows)

    def finish(
        self, row: Notification, status: NotificationStatus, reason: str | None = None
    ) -> None:
        self.finished[(status, reason)].append(row.id)
        self.handled += 1

    def postpone(
        self,
        row: Notification,
        until: datetime,
        *,
        attempts: int,
        reason: str,
        retry_tokens: tuple[str, ...] | None = None,
        delivered: int | None = None,
    ) -> None:
        self.later.append(Postponement(row.id, until, attempts, reason, retry_tokens, delivered))
        self.handled += 1

    def answered(
        self, row: Notification, body: str, devices: Sequence[Device], results: list[PushResult]
    ) -> None:
        """The row's devices' answers from FCM (one per device, in order)."""
        pairs = list(zip(devices, results, strict=True))
        dead = [device.token for device, result in pairs if result.error in _DEAD]
        self.dead.extend(dead)
        delivered = row.delivered + sum(1 for result in results if result.ok)
        owed = tuple(d.token for d, r in pairs if r.error is PushError.RETRY)
        if owed and row.attempts + 1 < MAX_ATTEMPTS:
            wait = max((r.retry_after or 0.0) for r in results if r.error is PushError.RETRY)
            delay = backoff(row.attempts + 1, wait)
            partial = delivered > 0
            self.postpone(
                row,
                self.at + timedelta(seconds=delay),
                attempts=row.attempts + 1,
                reason="RETRY_PARTIAL" if partial else "RETRY",
                retry_tokens=owed if partial else None,
                delivered=delivered if partial else None,
            )
        elif delivered > 0:
            if body == row.body:
                self.finish(row, NotificationStatus.SENT)
            else:
                self.rebodied.append((row, body))
                self.handled += 1
        elif len(dead) == len(results):
            self.finish(row, NotificationStatus.SKIPPED, "NO_DEVICE")
        else:
            detail = next((r.detail for r in results if r.detail), None) or "SEND_FAILED"
            self.finish(row, NotificationStatus.FAILED, detail[:200])

    async def write(self, deps: Deps, tenant: str, claim: str) -> None:
        outbox = deps.outbox
        await deps.devices.forget(tenant, sorted(set(self.dead)))
        for (status, reason), ids in self.finished.items():
            sender = self.sender if status is NotificationStatus.SENT else None
            await outbox.finish_many(
                tenant, claim, ids, status, at=self.at, reason=reason, sender=sender
            )
        for row, body in self.rebodied:
            await outbox.finish(
                row, NotificationStatus.SENT, at=self.at, sender=self.sender, body=body
            )
        await outbox.postpone_many(tenant, claim, self.later)
        self.finished.clear()
        self.rebodied.clear()
        self.later.clear()
        self.dead.clear()
