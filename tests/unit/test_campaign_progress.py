"""A campaign's progress for the merchant: what is left, the pace, the estimated finish."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty.campaign_progress import progress
from loyalty.notification_ports import Campaign, CampaignCounts
from loyalty.program import LocalizedText

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
TEXT = LocalizedText(en="Sale")


def campaign(status: str, queued: int, audience: int | None) -> Campaign:
    return Campaign(
        tenant="acme",
        id="c",
        name="Eid",
        title=TEXT,
        body=TEXT,
        send_at=T0,
        created_at=T0,
        status=status,
        queued=queued,
        started_at=T0,
        audience=audience,
    )


def test_while_queueing_what_is_left_counts_members_not_queued_yet() -> None:
    # given 40 of 100 members queued, 30 decided in the first 10 seconds, 10 waiting
    counts = CampaignCounts(
        pending=10,
        sent=25,
        skipped={"OPTED_OUT": 5},
        first_finished_at=T0,
        last_finished_at=T0 + timedelta(seconds=9),
    )
    now = T0 + timedelta(seconds=10)
    # when
    seen = progress(campaign("SENDING", 40, 100), counts, now)
    # then 3 per second, 70 left: about 23 seconds more
    assert seen.per_second == 3.0
    assert seen.estimated_finish == now + timedelta(seconds=70 / 3)
    assert (seen.sent, seen.skipped_total, seen.pending) == (25, 5, 10)


def test_once_done_the_finish_is_the_last_row_decided() -> None:
    counts = CampaignCounts(
        sent=90,
        failed={"SEND_FAILED": 10},
        first_finished_at=T0,
        last_finished_at=T0 + timedelta(seconds=20),
    )
    seen = progress(campaign("DONE", 100, 100), counts, T0 + timedelta(hours=1))
    assert seen.per_second == 5.0
    assert seen.estimated_finish == T0 + timedelta(seconds=20)
    assert seen.failed == {"SEND_FAILED": 10}


def test_too_little_so_far_gives_no_pace() -> None:
    counts = CampaignCounts(sent=5, first_finished_at=T0, last_finished_at=T0)
    seen = progress(campaign("SENDING", 5, 100), counts, T0 + timedelta(seconds=30))
    assert (seen.per_second, seen.estimated_finish) == (None, None)
