"""Rewards and redemptions (coupons)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from loyalty.rewards import Redemption, RedemptionStatus, Reward, RewardKind
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


def redemption_from(doc: dict[str, Any]) -> Redemption:
    return Redemption(
        id=doc["_id"].split(":", 1)[1],
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        reward_id=doc["reward_id"],
        reward_name=text_from(doc["reward_name"]),
        coupon_code=doc["coupon_code"],
        points_spent=doc["points_spent"],
        status=RedemptionStatus(doc["status"]),
        created_at=utc(doc["created_at"]),
        expires_at=utc_or_none(doc.get("expires_at")),
        used_at=utc_or_none(doc.get("used_at")),
        used_order_id=doc.get("used_order_id"),
    )


class MongoRedemptions:
    def __init__(self, db: Any) -> None:
        self._c = db["redemptions"]

    async def reserve(self, redemption: Redemption, op_id: str) -> Redemption:
        """One redemption per operation id (unique index): a retry finds the first one."""
        doc = {
            "_id": f"{redemption.tenant}:{redemption.id}",
            "tenant": redemption.tenant,
            "op_id": op_id,
            "member_id": redemption.member_id,
            "reward_id": redemption.reward_id,
            "reward_name": text_doc(redemption.reward_name),
            "coupon_code": redemption.coupon_code,
            "points_spent": redemption.points_spent,
            "status": redemption.status.value,
            "created_at": redemption.created_at,
            "expires_at": redemption.expires_at,
            "used_at": None,
            "used_order_id": None,
        }
        try:
            await self._c.insert_one(doc)
        except DuplicateKeyError:
            existing = await self._c.find_one({"tenant": redemption.tenant, "op_id": op_id})
            if existing is None:  # the coupon code collided: astronomically rare, retry
                raise
            return redemption_from(existing)
        return redemption

    async def set_status(
        self, tenant: str, redemption_id: str, status: RedemptionStatus
    ) -> Redemption | None:
        doc = await self._c.find_one_and_update(
            {"_id": f"{tenant}:{redemption_id}", "tenant": tenant},
            {"$set": {"status": status.value}},
            return_document=ReturnDocument.AFTER,
        )
        return redemption_from(doc) if doc else None

    async def get(self, tenant: str, redemption_id: str) -> Redemption | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{redemption_id}", "tenant": tenant})
        return redemption_from(doc) if doc else None

    async def by_code(self, tenant: str, code: str) -> Redemption | None:
        doc = await self._c.find_one({"tenant": tenant, "coupon_code": code})
        return redemption_from(doc) if doc else None

    async def mark_used(
        self, tenant: str, code: str, order_id: str, now: datetime
    ) -> Redemption | None:
        doc = await self._c.find_one_and_update(
            {"tenant": tenant, "coupon_code": code, "status": RedemptionStatus.ISSUED.value},
            {"$set": {"status": "USED", "used_at": now, "used_order_id": order_id}},
            return_document=ReturnDocument.AFTER,
        )
        return redemption_from(doc) if doc else None
