"""The whole sender's pace: Retry-After stops every wave until it has passed, and waves shrink
on a refusal and grow back while FCM accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty.notifications import PushError, PushResult
from notifications.pace import Pace

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_retry_after_pauses_the_sender_for_the_longest_wait_asked() -> None:
    pace = Pace(max_wave=500, wave=500)
    answers = [
        PushResult(),
        PushResult(PushError.RETRY, retry_after=30),
        PushResult(PushError.RETRY, retry_after=10),
    ]
    assert pace.observe(answers, NOW) is True
    assert pace.paused(NOW + timedelta(seconds=29))
    assert not pace.paused(NOW + timedelta(seconds=30))
    assert pace.wave == 250


def test_a_retry_without_retry_after_or_a_dead_token_does_not_pause() -> None:
    pace = Pace(max_wave=500, wave=200)
    answers = [PushResult(PushError.RETRY), PushResult(PushError.UNREGISTERED)]
    assert pace.observe(answers, NOW) is False
    assert not pace.paused(NOW)
    assert pace.wave == 250  # grows back by 50 a clean wave, up to the maximum
