"""kill -9 while a client retries: mixed wallet calls against one API process and one worker
on a dev store, both killed with SIGKILL and restarted along the way. Afterwards every wallet
equals its ledger, every operation took effect exactly once, and no push went out twice.

The full run (1,000 calls, 10 API kills, 5 worker kills) is slow on a small machine: it is
marked `slow`; a reduced run (100 calls, 2 API kills, 1 worker kill) runs by default."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.multiprocess.crash_run import TENANT, crash_run


def check(found: dict[str, Any]) -> None:
    db = found["db"]
    calls = found["calls"]
    # every call was answered (refusals such as running out of points are userErrors)
    assert all(call.answer is not None for call in calls)
    succeeded = Counter(call.kind for call in calls if call.answer["userErrors"] == [])
    entries = list(db["ledger"].find({"tenant": TENANT}))
    for member in db["members"].find({"tenant": TENANT}):
        mine = [e for e in entries if e["member_id"] == str(member["_id"])]
        wallet = member["wallet"]
        # every wallet equals its ledger, with no gap in its sequence and never below zero
        assert wallet["balance"] == sum(e["balance_delta"] for e in mine)
        assert wallet["pending"] == sum(e["pending_delta"] for e in mine)
        assert sorted(e["seq"] for e in mine) == list(range(1, len(mine) + 1))
        assert min(e["balance_after"] for e in mine) >= 0
    # every operation that succeeded took effect once, however often it was retried
    by_type = Counter(e["type"] for e in entries)
    assert by_type["ADJUST"] == succeeded["adjust"]
    assert by_type["REDEEM"] == succeeded["redeem"]
    assert (
        db["redemptions"].count_documents({"tenant": TENANT, "status": "ISSUED"})
        == (succeeded["redeem"])
    )
    assert db["orders"].count_documents({"tenant": TENANT}) == succeeded["order"] + 24
    assert by_type["REFUND"] == succeeded["refund"]  # with a shortfall, fewer points or none
    assert by_type["EARN"] == succeeded["order"] + 24
    # every push recorded as sent went out, and none more often than it was queued for its
    # device (a worker killed between sending and recording leaves its rows SENDING)
    external = {str(m["_id"]): m["external_id"] for m in db["members"].find({"tenant": TENANT})}
    queued = Counter(
        (f"crash-{external[row['member_id']]}", row["title"])
        for row in db["outbox"].find({"tenant": TENANT, "status": {"$in": ["SENT", "SENDING"]}})
    )
    pushes = found["pushes"]
    sent = db["outbox"].count_documents({"tenant": TENANT, "status": "SENT"})
    assert sent >= 8  # at least the first campaign reached every member (caps hold back more)
    assert sent <= sum(pushes.values()) <= sent + (found["worker_kills"] * len(external))
    assert all(count <= queued[(token, title.strip())] for (token, title), count in pushes.items())
    retried = sum(call.attempts - 1 for call in calls)
    print(
        f"\ncrash run: {len(calls)} calls ({dict(succeeded)} succeeded), {retried} retries, "
        f"{found['api_kills']} API and {found['worker_kills']} worker kills, "
        f"{sum(pushes.values())} pushes; calls and kills {found['elapsed']:.1f} s, seeding "
        f"{found['seeded']:.1f} s, worker catching up {found['settled']:.1f} s"
    )


def test_a_reduced_crash_run_keeps_every_wallet_exact(tmp_path: Path) -> None:
    crash_run(tmp_path, calls=100, api_kills=2, worker_kills=1, check=check)


@pytest.mark.slow
def test_the_full_crash_run_keeps_every_wallet_exact(tmp_path: Path) -> None:
    crash_run(tmp_path, calls=1000, api_kills=10, worker_kills=5, check=check)
