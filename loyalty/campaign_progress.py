"""How far a campaign has got, for the merchant: counts by outcome, the pace, and an estimated
finish while it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.notification_ports import Campaign, CampaignCounts

# Below this many rows decided, or this much time, a pace says more about noise than speed.
MIN_DECIDED_FOR_RATE = 20
MIN_SECONDS_FOR_RATE = 1.0


@dataclass(frozen=True)
class CampaignProgress:
    queued: int
    pending: int
    sent: int
    skipped: dict[str, int]
    failed: dict[str, int]
    per_second: float | None  # rows decided (sent, skipped or failed) per second
    estimated_finish: datetime | None  # when the last row was decided, once all are

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())


def progress(campaign: Campaign, counts: CampaignCounts, now: datetime) -> CampaignProgress:
    """What is left: rows still waiting, and, until the fan-out is done, members of the
    audience (counted when it started) not queued yet. The pace runs from the first row
    decided to now (to the last row decided once nothing is left)."""
    decided = counts.sent + sum(counts.skipped.values()) + sum(counts.failed.values())
    left = counts.pending
    if campaign.status != "DONE":
        left = max(left, (campaign.audience or campaign.queued) - decided)
    first, last = counts.first_finished_at, counts.last_finished_at
    per_second = None
    if first is not None and decided >= MIN_DECIDED_FOR_RATE:
        seconds = ((now if left else (last or now)) - first).total_seconds()
        if seconds >= MIN_SECONDS_FOR_RATE:
            per_second = decided / seconds
    finish = None
    if left == 0 and decided:
        finish = last
    elif per_second:
        finish = now + timedelta(seconds=left / per_second)
    return CampaignProgress(
        queued=campaign.queued,
        pending=counts.pending,
        sent=counts.sent,
        skipped=dict(sorted(counts.skipped.items())),
        failed=dict(sorted(counts.failed.items())),
        per_second=per_second,
        estimated_finish=finish,
    )
