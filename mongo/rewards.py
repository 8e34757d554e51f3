"""The reward catalogue."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING

from loyalty.reward_limits import NO_LIMITS, RewardLimits
from loyalty.rewards import Reward, RewardKind
from mongo.codec import dec, dec_from, text_doc, text_from, utc, utc_or_none


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
                "limits": limits_doc(reward.limits),
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
        limits=limits_from(doc.get("limits")),
    )


def limits_doc(limits: RewardLimits) -> dict[str, Any] | None:
    if limits == NO_LIMITS:
        return None
    return {
        "per_day": limits.per_day,
        "per_month": limits.per_month,
        "per_member": limits.per_member,
        "stock": limits.stock,
        "min_order_total": dec(limits.min_order_total),
        "available_from": limits.available_from,
        "available_until": limits.available_until,
    }


def limits_from(doc: dict[str, Any] | None) -> RewardLimits:
    if not doc:
        return NO_LIMITS
    return RewardLimits(
        per_day=doc.get("per_day"),
        per_month=doc.get("per_month"),
        per_member=doc.get("per_member"),
        stock=doc.get("stock"),
        min_order_total=dec_from(doc.get("min_order_total")),
        available_from=utc_or_none(doc.get("available_from")),
        available_until=utc_or_none(doc.get("available_until")),
    )
