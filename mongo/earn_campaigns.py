"""Earn campaigns, per tenant (`_id` is tenant:id)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pymongo import DESCENDING

from loyalty.clock import Clock
from loyalty.earn_campaigns import MAX_RECENT_CAMPAIGNS, RECENT_CAMPAIGNS, EarnCampaign
from loyalty.segments import Segment
from mongo.codec import dec, text_doc, text_from, utc


def _doc(tenant: str, campaign: EarnCampaign) -> dict[str, Any]:
    return {
        "_id": f"{tenant}:{campaign.id}",
        "tenant": tenant,
        "id": campaign.id,
        "name": text_doc(campaign.name),
        "starts_at": campaign.starts_at,
        "ends_at": campaign.ends_at,
        "created_at": campaign.created_at,
        "multiplier": dec(campaign.multiplier),
        "bonus_points": campaign.bonus_points,
        "categories": list(campaign.categories),
        "skus": list(campaign.skus),
        "segment": campaign.segment.value if campaign.segment else None,
        "tier_id": campaign.tier_id,
    }


def _from(doc: dict[str, Any]) -> EarnCampaign:
    multiplier = doc.get("multiplier")
    segment = doc.get("segment")
    return EarnCampaign(
        id=doc["id"],
        name=text_from(doc["name"]),
        starts_at=utc(doc["starts_at"]),
        ends_at=utc(doc["ends_at"]),
        created_at=utc(doc["created_at"]),
        multiplier=Decimal(multiplier) if multiplier is not None else None,
        bonus_points=doc.get("bonus_points"),
        categories=tuple(doc.get("categories", [])),
        skus=tuple(doc.get("skus", [])),
        segment=Segment(segment) if segment else None,
        tier_id=doc.get("tier_id"),
    )


class MongoEarnCampaigns:
    def __init__(self, db: Any, clock: Clock) -> None:
        self._c = db["earn_campaigns"]
        self.clock = clock

    async def save(self, tenant: str, campaign: EarnCampaign) -> None:
        doc = _doc(tenant, campaign)
        await self._c.replace_one({"_id": doc["_id"], "tenant": tenant}, doc, upsert=True)

    async def get(self, tenant: str, campaign_id: str) -> EarnCampaign | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{campaign_id}", "tenant": tenant})
        return _from(doc) if doc else None

    async def ending_after(self, tenant: str, moment: datetime) -> list[EarnCampaign]:
        """Latest ending first, at most MAX_RECENT_CAMPAIGNS (index tenant_ends_at)."""
        cursor = (
            self._c.find({"tenant": tenant, "ends_at": {"$gt": moment}})
            .sort("ends_at", DESCENDING)
            .limit(MAX_RECENT_CAMPAIGNS)
        )
        return [_from(doc) for doc in await cursor.to_list(None)]

    async def recent(self, tenant: str) -> list[EarnCampaign]:
        return await self.ending_after(tenant, self.clock.now() - RECENT_CAMPAIGNS)
