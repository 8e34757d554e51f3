"""The reward catalogue."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING

from loyalty.rewards import Reward, RewardKind
from mongo.codec import dec, dec_from, text_doc, text_from, utc


class MongoRewards:
    def __init__(self, db: Any) -> None:
        self._c = db["rewards"]

    async def save(self, tenant: str, reward: Reward) -> None:
        await self._c.replace_one(
            {"_id": f"{tenant}:{reward.id}", "tenant": tenant},
            {
                "_id": f"{tenant}:{reward.id}",
                "tenant": tenant,
                "id": reward.id,
                "name": text_doc(reward.name),
                "description": text_doc(reward.description),
                "cost": reward.cost,
                "kind": reward.kind.value,
                "value": dec(reward.value),
                "min_tier_id": reward.min_tier_id,
                "active": reward.active,
                "coupon_valid_days": reward.coupon_valid_days,
                "created_at": reward.created_at,
            },
            upsert=True,
        )

    async def get(self, tenant: str, reward_id: str) -> Reward | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{reward_id}", "tenant": tenant})
        return _reward_from(doc) if doc else None

    async def list(self, tenant: str, *, active_only: bool) -> list[Reward]:
        # Catalogues are small (tens of rewards); served by tenant_created_at.
        cursor = self._c.find({"tenant": tenant}).sort("created_at", ASCENDING).limit(1000)
        rewards = [_reward_from(doc) for doc in await cursor.to_list(None)]
        return [r for r in rewards if r.active] if active_only else rewards


def _reward_from(doc: dict[str, Any]) -> Reward:
    return Reward(
        id=doc["id"],
        name=text_from(doc["name"]),
        description=text_from(doc.get("description")),
        cost=doc["cost"],
        kind=RewardKind(doc["kind"]),
        value=dec_from(doc.get("value")),
        min_tier_id=doc.get("min_tier_id"),
        active=doc["active"],
        coupon_valid_days=doc.get("coupon_valid_days"),
        created_at=utc(doc["created_at"]),
    )
