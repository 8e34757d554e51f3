"""The earn campaign repository: tenant-scoped, latest ending first, recent ones cached per
tenant (orders read them without a database call) and dropped at once on a write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from loyalty.clock import FrozenClock
from loyalty.earn_campaigns import EarnCampaign
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.segments import Segment
from mongo.indexes import INDEXES


def campaign(clock: FrozenClock, campaign_id: str, days: int, **extra: object) -> EarnCampaign:
    now = clock.now()
    return EarnCampaign(
        id=campaign_id,
        name=LocalizedText(ar="حملة", en=f"Campaign {campaign_id}"),
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=days),
        created_at=now,
        multiplier=Decimal("1.5"),
        **extra,  # type: ignore[arg-type]
    )


async def test_saved_campaigns_read_back_per_tenant(deps: Deps, clock: FrozenClock) -> None:
    # given campaigns in two tenants, one ended long ago
    full = campaign(
        clock, "a", 10, bonus_points=5, categories=("oud",), skus=("s1",), segment=Segment.LOYAL
    )
    await deps.earn_campaigns.save("acme", full)
    await deps.earn_campaigns.save("acme", campaign(clock, "b", 20, tier_id="gold"))
    await deps.earn_campaigns.save("acme", campaign(clock, "old", -400))
    await deps.earn_campaigns.save("globex", campaign(clock, "g", 5))
    # then each reads back whole, latest ending first, in its own tenant only
    assert await deps.earn_campaigns.get("acme", "a") == full
    assert await deps.earn_campaigns.get("globex", "a") is None
    found = await deps.earn_campaigns.ending_after("acme", clock.now())
    assert [c.id for c in found] == ["b", "a"]
    assert [c.id for c in await deps.earn_campaigns.recent("acme")] == ["b", "a"]
    assert [c.id for c in await deps.earn_campaigns.recent("globex")] == ["g"]


async def test_the_recent_copy_is_dropped_by_a_write(deps: Deps, clock: FrozenClock) -> None:
    # given a cached, empty list
    assert await deps.earn_campaigns.recent("acme") == []
    # when a campaign is saved through this instance
    await deps.earn_campaigns.save("acme", campaign(clock, "a", 10))
    # then the next read sees it at once
    assert [c.id for c in await deps.earn_campaigns.recent("acme")] == ["a"]


def test_the_campaign_query_has_its_named_index() -> None:
    # given the declarations / then "ending after" is served by tenant_ends_at
    [model] = INDEXES["earn_campaigns"]
    assert model.document["name"] == "tenant_ends_at"
    assert list(model.document["key"].items()) == [("tenant", 1), ("ends_at", -1)]
