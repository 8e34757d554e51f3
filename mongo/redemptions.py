"""Redemptions (coupons): one per wallet operation id, with status changes that are each
conditional on the status they leave, so a late or repeated writer can never undo an outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from loyalty.rewards import Redemption, RedemptionStatus
from mongo.codec import text_doc, text_from, utc, utc_or_none

OPEN = [RedemptionStatus.RESERVED.value, RedemptionStatus.FAILED.value]


def redemption_from(doc: dict[str, Any]) -> Redemption:
    created_at = utc(doc["created_at"])
    return Redemption(
        id=doc["_id"].split(":", 1)[1],
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        reward_id=doc["reward_id"],
        reward_name=text_from(doc["reward_name"]),
        coupon_code=doc["coupon_code"],
        points_spent=doc["points_spent"],
        status=RedemptionStatus(doc["status"]),
        created_at=created_at,
        expires_at=utc_or_none(doc.get("expires_at")),
        op_id=doc["op_id"],
        # Documents written before attempts were counted: their first attempt began at creation.
        attempt=doc.get("attempt", 1),
        reserved_at=utc_or_none(doc.get("reserved_at")) or created_at,
        used_at=utc_or_none(doc.get("used_at")),
        used_order_id=doc.get("used_order_id"),
        sweep_at=utc_or_none(doc.get("sweep_at")),
        return_at=utc_or_none(doc.get("return_at")),
        returned_at=utc_or_none(doc.get("returned_at")),
    )


class MongoRedemptions:
    def __init__(self, db: Any) -> None:
        self._c = db["redemptions"]

    async def reserve(self, redemption: Redemption) -> Redemption:
        """One redemption per operation id (unique index): a retry finds the first one."""
        doc = {
            "_id": f"{redemption.tenant}:{redemption.id}",
            "tenant": redemption.tenant,
            "op_id": redemption.op_id,
            "member_id": redemption.member_id,
            "reward_id": redemption.reward_id,
            "reward_name": text_doc(redemption.reward_name),
            "coupon_code": redemption.coupon_code,
            "points_spent": redemption.points_spent,
            "status": redemption.status.value,
            "created_at": redemption.created_at,
            "expires_at": redemption.expires_at,
            "attempt": redemption.attempt,
            "reserved_at": redemption.reserved_at,
            "sweep_at": redemption.sweep_at,
            "used_at": None,
            "used_order_id": None,
        }
        try:
            await self._c.insert_one(doc)
        except DuplicateKeyError:
            existing = await self._c.find_one(
                {"tenant": redemption.tenant, "op_id": redemption.op_id}
            )
            if existing is None:  # the coupon code collided: astronomically rare, retry
                raise
            return redemption_from(existing)
        return redemption

    async def issue(self, tenant: str, redemption_id: str) -> Redemption | None:
        """RESERVED or FAILED -> ISSUED. Only for a caller that saw the points taken; None when
        the coupon was already issued (or used)."""
        return await self._change(
            {"_id": f"{tenant}:{redemption_id}", "tenant": tenant, "status": {"$in": OPEN}},
            {"status": RedemptionStatus.ISSUED.value, "sweep_at": None},
        )

    async def fail(
        self, tenant: str, redemption_id: str, attempt: int, *, final: bool
    ) -> Redemption | None:
        """The attempt numbered `attempt` took no points -> FAILED. Never from ISSUED or USED,
        nor once another attempt was armed. Unless `final`, the sweeper still checks the ledger
        later (a concurrent duplicate may have taken the points and then died)."""
        query: dict[str, Any] = {
            "_id": f"{tenant}:{redemption_id}",
            "tenant": tenant,
            "status": {"$in": OPEN},
            "attempt": attempt,
        }
        changes: dict[str, Any] = {"status": RedemptionStatus.FAILED.value}
        if final:
            # Settled once: a second sweeper finds nothing left to settle.
            query["sweep_at"] = {"$ne": None}
            changes["sweep_at"] = None
        return await self._change(query, changes)

    async def rearm(
        self,
        tenant: str,
        redemption_id: str,
        attempt: int,
        *,
        now: datetime,
        expires_at: datetime | None,
        sweep_at: datetime,
    ) -> Redemption | None:
        """The next attempt, after attempt `attempt` failed or let its take window pass:
        RESERVED again, with a new window. The price stays as reserved."""
        return await self._change(
            {
                "_id": f"{tenant}:{redemption_id}",
                "tenant": tenant,
                "status": {"$in": OPEN},
                "attempt": attempt,
            },
            {
                "status": RedemptionStatus.RESERVED.value,
                "attempt": attempt + 1,
                "reserved_at": now,
                "expires_at": expires_at,
                "sweep_at": sweep_at,
            },
        )

    async def due_for_sweep(self, tenant: str, now: datetime, limit: int) -> list[Redemption]:
        cursor = (
            self._c.find({"tenant": tenant, "sweep_at": {"$lte": now}})
            .sort("sweep_at", ASCENDING)
            .hint("tenant_sweep_at")
            .limit(limit)
        )
        return [redemption_from(doc) for doc in await cursor.to_list(None)]

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

    async def close(
        self, tenant: str, redemption_id: str, status: RedemptionStatus, now: datetime
    ) -> Redemption | None:
        """ISSUED -> CANCELLED or EXPIRED: conditional, so a coupon used at checkout meanwhile
        stays used, and only one closer gives the points back."""
        return await self._change(
            {
                "_id": f"{tenant}:{redemption_id}",
                "tenant": tenant,
                "status": RedemptionStatus.ISSUED.value,
            },
            {"status": status.value, "closed_at": now, "return_at": now},
        )

    async def returned(self, tenant: str, redemption_id: str, now: datetime) -> None:
        await self._c.update_one(
            {"_id": f"{tenant}:{redemption_id}", "tenant": tenant, "return_at": {"$ne": None}},
            {"$set": {"return_at": None, "returned_at": now}},
        )

    async def returns_due(self, tenant: str, now: datetime, limit: int) -> list[Redemption]:
        cursor = (
            self._c.find({"tenant": tenant, "return_at": {"$lte": now}})
            .sort("return_at", ASCENDING)
            .hint("tenant_return_at")
            .limit(limit)
        )
        return [redemption_from(doc) for doc in await cursor.to_list(None)]

    async def expired_unused(self, tenant: str, now: datetime, limit: int) -> list[Redemption]:
        cursor = (
            self._c.find(
                {
                    "tenant": tenant,
                    "status": RedemptionStatus.ISSUED.value,
                    "expires_at": {"$lte": now},
                }
            )
            .sort("expires_at", ASCENDING)
            .hint("tenant_status_expires_at")
            .limit(limit)
        )
        return [redemption_from(doc) for doc in await cursor.to_list(None)]

    async def _change(self, query: dict[str, Any], changes: dict[str, Any]) -> Redemption | None:
        doc = await self._c.find_one_and_update(
            query, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        return redemption_from(doc) if doc else None
