"""Back-pressure for the whole sender. When FCM answers 429 or 503 with Retry-After, it is
the project's quota or FCM itself that is overloaded, not that one device: every drain of this
sender stops handing messages over until Retry-After has passed, and then sends in smaller
waves that grow back while FCM keeps accepting them (additive increase, halving on a refusal).
One Pace per sender (per process); each worker process slows down on its own answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.notifications import PushError, PushResult

MIN_WAVE = 50


@dataclass
class Pace:
    max_wave: int = 500
    wave: int = 500
    paused_until: datetime | None = None

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def observe(self, results: Sequence[PushResult], now: datetime) -> bool:
        """Takes a wave's answers into account; True when FCM asked the sender to wait."""
        waits = [
            r.retry_after
            for r in results
            if r.error is PushError.RETRY and r.retry_after is not None
        ]
        if waits:
            until = now + timedelta(seconds=max(waits))
            if self.paused_until is None or until > self.paused_until:
                self.paused_until = until
            self.wave = max(self.floor, self.wave // 2)
            return True
        self.wave = min(self.max_wave, self.wave + self.floor)
        return False

    @property
    def floor(self) -> int:
        return max(1, min(MIN_WAVE, self.max_wave))
