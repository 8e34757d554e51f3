"""Badge definitions (per tenant) and awards (one per member and badge)."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from loyalty.badges import Badge, BadgeAward, BadgeRule
from mongo.codec import text_doc, text_from, utc


def _badge_from(doc: dict[str, Any]) -> Badge:
    return Badge(
        id=doc["id"],
        name=text_from(doc["name"]),
        rule=BadgeRule(doc["rule"]),
        goal=doc["goal"],
        created_at=utc(doc["created_at"]),
        description=text_from(doc.get("description")),
        icon=doc.get("icon"),
        category=doc.get("category"),
        tier_id=doc.get("tier_id"),
        bonus_points=doc.get("bonus_points", 0),
        active=doc.get("active", True),
    )


class MongoBadges:
    def __init__(self, db: Any) -> None:
        self._c = db["badges"]

    async def save(self, tenant: str, badge: Badge) -> None:
        doc_id = f"{tenant}:{badge.id}"
        await self._c.replace_one(
            {"_id": doc_id, "tenant": tenant},
            {
                "_id": doc_id,
                "tenant": tenant,
                "id": badge.id,
                "name": text_doc(badge.name),
                "description": text_doc(badge.description),
                "icon": badge.icon,
                "rule": badge.rule.value,
                "goal": badge.goal,
                "category": badge.category,
                "tier_id": badge.tier_id,
                "bonus_points": badge.bonus_points,
                "active": badge.active,
                "created_at": badge.created_at,
            },
            upsert=True,
        )

    async def get(self, tenant: str, badge_id: str) -> Badge | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{badge_id}", "tenant": tenant})
        return _badge_from(doc) if doc else None

    async def list(self, tenant: str) -> list[Badge]:
        # A merchant defines tens of badges (capped by upsertBadge); index tenant_created_at.
        cursor = self._c.find({"tenant": tenant}).sort("created_at", ASCENDING).limit(1000)
        return [_badge_from(doc) for doc in await cursor.to_list(None)]


def _award_from(doc: dict[str, Any]) -> BadgeAward:
    return BadgeAward(
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        badge_id=doc["badge_id"],
        earned_at=utc(doc["earned_at"]),
        settled=bool(doc.get("settled")),
        order_id=doc.get("order_id"),
        bonus_points=doc.get("bonus_points", 0),
    )


class MongoBadgeAwards:
    def __init__(self, db: Any) -> None:
        self._c = db["badge_awards"]

    @staticmethod
    def _id(tenant: str, member_id: str, badge_id: str) -> str:
        return f"{tenant}:{member_id}:{badge_id}"

    async def insert(self, award: BadgeAward) -> tuple[BadgeAward, bool]:
        """The _id makes the award unique: concurrent evaluations create it once."""
        doc_id = self._id(award.tenant, award.member_id, award.badge_id)
        try:
            await self._c.insert_one(
                {
                    "_id": doc_id,
                    "tenant": award.tenant,
                    "member_id": award.member_id,
                    "badge_id": award.badge_id,
                    "earned_at": award.earned_at,
                    "settled": False,
                    "order_id": award.order_id,
                    "bonus_points": award.bonus_points,
                }
            )
        except DuplicateKeyError:
            doc = await self._c.find_one({"_id": doc_id, "tenant": award.tenant})
            assert doc is not None
            return _award_from(doc), False
        return award, True

    async def for_member(self, tenant: str, member_id: str) -> list[BadgeAward]:
        """Index tenant_member_earned_at: one member's awards only."""
        cursor = self._c.find({"tenant": tenant, "member_id": member_id}).sort("earned_at", 1)
        return [_award_from(doc) for doc in await cursor.to_list(None)]

    async def mark_settled(self, tenant: str, member_id: str, badge_id: str) -> None:
        await self._c.update_one(
            {"_id": self._id(tenant, member_id, badge_id), "tenant": tenant},
            {"$set": {"settled": True}},
        )
