"""Issue 20: a recordOrder reads the member once and its orders once, and writes the credit,
tier, segment and order dates in one conditional update: at most 8 database calls for a member
with a year of history, with the same results (the tier crossed on the crossing order, the
segment rescored, badges evaluated). Counted, not timed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.segments import Segment
from mongo.client import Database
from mongo.store import build_deps
from tests.faults.store_faults import FaultPlan, FaultyDatabase
from tests.store.order_history import (
    CROSSING_TOTAL,
    NORMAL_TOTAL,
    SLUG,
    record,
    year_of_history,
)

# The order itself, and the member's 3 leaderboard counters (issue 16), written side by
# side: one round trip's latency, three calls.
MAX_CALLS = 10  # 8 before the counters


async def test_record_order_for_a_member_with_a_year_of_history_makes_at_most_10_calls(
    database: Database, clock: FrozenClock
) -> None:
    # given a member with 72 orders over twelve months, four refunded, holding silver
    plan = FaultPlan(enabled=False)
    counted = Database(
        client=None, db=FaultyDatabase(database.db, plan), is_memory=database.is_memory
    )
    deps = build_deps(counted, clock, WalletBroker(), images=PillowImages())
    history = await year_of_history(deps, clock)
    await deps.badges.list(SLUG)  # the caches of a tenant taking orders
    await deps.rewards.list(SLUG, active_only=True)
    await deps.earn_campaigns.recent(SLUG)
    await deps.tenants.get(SLUG)

    # when a normal order, then one crossing into gold, are recorded
    plan.enabled = True
    await record(deps, history.tenant, "next-1", NORMAL_TOTAL)
    normal = [str(call) for call in plan.calls]
    plan.calls.clear()
    await record(deps, history.tenant, "next-2", CROSSING_TOTAL)
    crossing = [str(call) for call in plan.calls]
    plan.enabled = False

    # then each made at most 10 database calls
    assert len(normal) <= MAX_CALLS, normal
    assert len(crossing) <= MAX_CALLS, crossing
    # and the results are those of a full evaluation: gold from the crossing order on (it
    # earned at silver's multiplier), the segment rescored, the upgrade announced once
    member = await deps.members.get(SLUG, history.member_id)
    assert member is not None
    assert (member.tier.tier_id, member.tier.qualifying_value) == ("gold", Decimal("4100.00"))
    assert member.segment is Segment.CHAMPION
    crossing_order = await deps.orders.get(SLUG, "next-2")
    assert crossing_order is not None and crossing_order.points == 900
    events = await _events(database, history.member_id)
    assert [(e["kind"], e["data"]) for e in events if e["kind"].startswith("TIER")] == [
        ("TIER_UPGRADED", {"tier_id": "silver", "from_tier_id": "base"}),  # in the history
        ("TIER_UPGRADED", {"tier_id": "gold", "from_tier_id": "silver"}),
    ]


async def test_the_order_reaching_a_badge_awards_it_without_reading_the_awards_each_order(
    database: Database, clock: FrozenClock
) -> None:
    # given the member of a year of history, and the platinum badge (50 points) not yet earned
    plan = FaultPlan(enabled=False)
    counted = Database(
        client=None, db=FaultyDatabase(database.db, plan), is_memory=database.is_memory
    )
    deps = build_deps(counted, clock, WalletBroker(), images=PillowImages())
    history = await year_of_history(deps, clock)
    await record(deps, history.tenant, "next-1", CROSSING_TOTAL)  # gold

    # when an order reaches platinum, then another order follows
    await record(deps, history.tenant, "next-2", CROSSING_TOTAL)
    plan.enabled = True
    await record(deps, history.tenant, "next-3", NORMAL_TOTAL)
    plan.enabled = False

    # then platinum's badge was awarded on the order that reached it, with its bonus once
    awards = await database.db["badge_awards"].find({"member_id": history.member_id}).to_list(None)
    assert sorted((a["badge_id"], a["settled"]) for a in awards) == [
        ("b_first", True),
        ("b_platinum", True),
    ]
    ledger = await database.db["ledger"].find({"op_id": "badge:b_platinum"}).to_list(None)
    assert [entry["points"] for entry in ledger] == [50]
    # and the next order read neither the awards nor the badge definitions
    assert not [c for c in plan.calls if c.collection in ("badge_awards", "badges")]


async def _events(database: Database, member_id: str) -> list[dict[str, Any]]:
    cursor = database.db["member_events"].find({"member_id": member_id}).sort("recorded_at", 1)
    events: list[dict[str, Any]] = await cursor.to_list(None)
    return events
