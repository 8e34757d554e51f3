"""Referral links and their reward lifecycle, one document per referee."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from loyalty.referrals import Referral, ReferralStatus
from mongo.codec import utc, utc_or_none


def _id(tenant: str, referee_id: str) -> str:
    return f"{tenant}:{referee_id}"


def _from(doc: dict[str, Any]) -> Referral:
    return Referral(
        tenant=doc["tenant"],
        referee_id=doc["referee_id"],
        referrer_id=doc["referrer_id"],
        linked_at=utc(doc["linked_at"]),
        status=ReferralStatus(doc["status"]),
        first_order_id=doc.get("first_order_id"),
        due_at=utc_or_none(doc.get("due_at")),
        settled_at=utc_or_none(doc.get("settled_at")),
    )


class MongoReferrals:
    def __init__(self, db: Any) -> None:
        self._c = db["referrals"]

    async def link(self, referral: Referral) -> Referral:
        """Idempotent: the referee's document is created once; a repeat returns it."""
        try:
            await self._c.insert_one(
                {
                    "_id": _id(referral.tenant, referral.referee_id),
                    "tenant": referral.tenant,
                    "referee_id": referral.referee_id,
                    "referrer_id": referral.referrer_id,
                    "linked_at": referral.linked_at,
                    "status": referral.status.value,
                    "first_order_id": None,
                    "due_at": None,
                    "settled_at": None,
                }
            )
        except DuplicateKeyError:
            existing = await self.get(referral.tenant, referral.referee_id)
            assert existing is not None
            return existing
        return referral

    async def get(self, tenant: str, referee_id: str) -> Referral | None:
        doc = await self._c.find_one({"_id": _id(tenant, referee_id), "tenant": tenant})
        return _from(doc) if doc else None

    async def set_first_order(
        self, tenant: str, referee_id: str, order_id: str, due_at: datetime
    ) -> bool:
        """Only the first order counts: conditional on no order being set yet."""
        result = await self._c.update_one(
            {"_id": _id(tenant, referee_id), "tenant": tenant, "first_order_id": None},
            {
                "$set": {
                    "first_order_id": order_id,
                    "due_at": due_at,
                    "status": ReferralStatus.PENDING.value,
                }
            },
        )
        return bool(result.matched_count == 1)

    async def due(self, tenant: str, now: datetime, limit: int) -> list[Referral]:
        """Pending referrals whose window ended (index tenant_status_due_at)."""
        cursor = self._c.find(
            {"tenant": tenant, "status": ReferralStatus.PENDING.value, "due_at": {"$lte": now}}
        ).limit(limit)
        return [_from(doc) for doc in await cursor.to_list(None)]

    async def settle(
        self, tenant: str, referee_id: str, status: ReferralStatus, at: datetime
    ) -> bool:
        result = await self._c.update_one(
            {
                "_id": _id(tenant, referee_id),
                "tenant": tenant,
                "status": ReferralStatus.PENDING.value,
            },
            {"$set": {"status": status.value, "settled_at": at}},
        )
        return bool(result.matched_count == 1)

    async def count_rewarded(self, tenant: str, referrer_id: str) -> int:
        """Index tenant_referrer_status: one member's own referrals only."""
        query = {
            "tenant": tenant,
            "referrer_id": referrer_id,
            "status": ReferralStatus.REWARDED.value,
        }
        return int(await self._c.count_documents(query))
