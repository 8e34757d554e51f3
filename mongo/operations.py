"""Idempotency records and activity bookkeeping."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from loyalty.clock import Clock
from loyalty.ports import ActivityRecord, Claim
from mongo.codec import utc


class MongoIdempotency:
    def __init__(self, db: Any, clock: Clock) -> None:
        self._c = db["idempotency"]
        self._clock = clock

    @staticmethod
    def _id(tenant: str, scope: str, key: str) -> str:
        return f"{tenant}:{scope}:{key}"

    async def claim(self, tenant: str, scope: str, key: str, fingerprint: str) -> Claim:
        doc_id = self._id(tenant, scope, key)
        try:
            await self._c.insert_one(
                {
                    "_id": doc_id,
                    "tenant": tenant,
                    "fingerprint": fingerprint,
                    "result": None,
                    # Kept for IDEMPOTENCY_RETENTION from here once it has a result (TTL
                    # index created_at_ttl_90d, partial on result being a document).
                    "created_at": self._clock.now(),
                }
            )
            return Claim(fresh=True, fingerprint=fingerprint, result=None)
        except DuplicateKeyError:
            doc = await self._c.find_one({"_id": doc_id, "tenant": tenant})
            if doc is None:  # released in between: claim again
                return await self.claim(tenant, scope, key, fingerprint)
            return Claim(fresh=False, fingerprint=doc["fingerprint"], result=doc.get("result"))

    async def complete(self, tenant: str, scope: str, key: str, result: Mapping[str, Any]) -> None:
        await self._c.update_one(
            {"_id": self._id(tenant, scope, key), "tenant": tenant},
            {"$set": {"result": dict(result)}},
        )

    async def release(self, tenant: str, scope: str, key: str) -> None:
        await self._c.delete_one(
            {"_id": self._id(tenant, scope, key), "tenant": tenant, "result": None}
        )

    async def unfinished(self, tenant: str, scope: str, key: str) -> bool:
        query = {"_id": self._id(tenant, scope, key), "tenant": tenant, "result": None}
        return await self._c.find_one(query, {"_id": 1}) is not None


class MongoActivities:
    def __init__(self, db: Any) -> None:
        self._c = db["activities"]
        self._caps = db["activity_caps"]

    @staticmethod
    def _id(tenant: str, member_id: str, activity: str, key: str) -> str:
        return f"{tenant}:{member_id}:{activity}:{key}"

    async def find(
        self, tenant: str, member_id: str, activity: str, key: str
    ) -> ActivityRecord | None:
        doc = await self._c.find_one(
            {"_id": self._id(tenant, member_id, activity, key), "tenant": tenant}
        )
        return _activity_from(doc) if doc else None

    async def insert(self, record: ActivityRecord) -> tuple[ActivityRecord, bool]:
        doc_id = self._id(record.tenant, record.member_id, record.activity, record.key)
        try:
            await self._c.insert_one(
                {
                    "_id": doc_id,
                    "tenant": record.tenant,
                    "member_id": record.member_id,
                    "activity": record.activity,
                    "key": record.key,
                    "points": record.points,
                    "occurred_at": record.occurred_at,
                    "cap_counter": record.cap_counter,
                }
            )
        except DuplicateKeyError:
            existing = await self.find(record.tenant, record.member_id, record.activity, record.key)
            assert existing is not None
            return existing, False
        return record, True

    async def take_cap(
        self, tenant: str, counter: str, limit: int, holder: str, *, until: datetime | None = None
    ) -> bool:
        """Atomic 'take a place if below limit', once per holder (the activity): a retry of an
        activity whose first attempt took its place and then failed finds the place its own,
        so a lost answer never uses up a second place. When the filter matches nothing the
        upsert collides with the existing counter's _id. `until` is the counter's expire_at
        (TTL index expire_at_ttl_0d)."""
        cap_id = f"{tenant}:{counter}"
        below_limit = {
            "_id": cap_id,
            "tenant": tenant,
            "count": {"$lt": limit},
            "holders": {"$ne": holder},
        }
        take: dict[str, Any] = {"$inc": {"count": 1}, "$push": {"holders": holder}}
        if until is not None:
            take["$set"] = {"expire_at": until}
        try:
            await self._caps.update_one(below_limit, take, upsert=True)
        except DuplicateKeyError:
            # The limit is reached, the place is this holder's already, or a concurrent first
            # use created the counter between our filter and our insert.
            result = await self._caps.update_one(below_limit, take)
            if result.modified_count == 1:
                return True
            held = {"_id": cap_id, "tenant": tenant, "holders": holder}
            return await self._caps.find_one(held, {"_id": 1}) is not None
        return True

    async def count(self, tenant: str, member_id: str, activity: str) -> int:
        """One member's activities of a kind (index tenant_member_activity)."""
        query = {"tenant": tenant, "member_id": member_id, "activity": activity}
        return int(await self._c.count_documents(query))


def _activity_from(doc: dict[str, Any]) -> ActivityRecord:
    return ActivityRecord(
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        activity=doc["activity"],
        key=doc["key"],
        points=doc["points"],
        occurred_at=utc(doc["occurred_at"]),
        cap_counter=doc.get("cap_counter"),
    )
