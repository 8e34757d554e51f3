"""A tier change keeps its notices (the events it owes) on the saved state, so that a failure
between the save and the event's record loses nothing: the next evaluation records it, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from pymongo.errors import AutoReconnect

from loyalty.clock import FrozenClock
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.ports import Deps, MemberEventLog
from loyalty.usecases import tiers
from mongo.client import Database
from tests.store.order_history import CROSSING_TOTAL, SLUG, record, year_of_history


class LosesTierEvents:
    """The event log, failing every record of a tier event (the call fails after the save)."""

    def __init__(self, inner: MemberEventLog) -> None:
        self.inner = inner

    async def record(self, event: MemberEvent) -> bool:
        if event.kind is MemberEventKind.TIER_UPGRADED:
            raise AutoReconnect("injected: the event was not recorded")
        return await self.inner.record(event)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def _gold_upgrades(database: Database, member_id: str) -> list[str]:
    """The keys of the recorded upgrades to gold."""
    cursor = database.db["member_events"].find(
        {"member_id": member_id, "kind": MemberEventKind.TIER_UPGRADED.value}
    )
    return [e["key"] for e in await cursor.to_list(None) if e["data"]["tier_id"] == "gold"]


async def _lose_the_gold_upgrade(deps: Deps, clock: FrozenClock) -> tuple[str, int]:
    history = await year_of_history(deps, clock)
    losing = replace(deps, member_events=LosesTierEvents(deps.member_events))
    with pytest.raises(AutoReconnect):
        await record(losing, history.tenant, "next-1", CROSSING_TOTAL)
    member = await deps.members.get(SLUG, history.member_id)
    assert member is not None and member.tier.tier_id == "gold"
    return history.member_id, member.tier.version


async def test_the_scheduled_review_records_an_upgrade_whose_event_was_lost(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a crossing order whose upgrade was saved but whose event failed
    member_id, version = await _lose_the_gold_upgrade(deps, clock)
    assert await _gold_upgrades(database, member_id) == []
    tenant = await deps.tenants.get(SLUG)
    assert tenant is not None

    # when the scheduled review looks at the member (twice)
    clock.advance(timedelta(days=1, minutes=1))
    await tiers.review_due_tiers(deps, tenant)
    await tiers.reevaluate(deps, tenant, member_id, scheduled=True)

    # then the upgrade is announced, once, under the key of the change that made it
    assert await _gold_upgrades(database, member_id) == [f"v{version}"]


async def test_the_next_order_records_an_upgrade_whose_event_was_lost(
    deps: Deps, clock: FrozenClock, database: Database
) -> None:
    # given a crossing order whose upgrade was saved but whose event failed
    member_id, version = await _lose_the_gold_upgrade(deps, clock)
    tenant = await deps.tenants.get(SLUG)
    assert tenant is not None

    # when the member places another order
    await record(deps, tenant, "next-2", "10.00")

    # then the upgrade is announced, once
    assert await _gold_upgrades(database, member_id) == [f"v{version}"]
