"""Reward limit buckets: one document per bucket (_id tenant:key) with its count and the ids
of the redemptions counted, so that a claim retried, or two racing, count once."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from pymongo.errors import DuplicateKeyError


class MongoRewardClaims:
    def __init__(self, db: Any) -> None:
        self._c = db["reward_claims"]

    async def claim(self, tenant: str, key: str, limit: int, claim_id: str) -> bool:
        bucket = f"{tenant}:{key}"
        if await self._c.find_one({"_id": bucket, "claims": claim_id}, {"_id": 1}):
            return True
        # Conditional on room left: the count never passes the limit, however many race. A
        # bucket that exists and did not match (full, or this claim won a race) makes the
        # upsert's insert fail on its key.
        with suppress(DuplicateKeyError):
            await self._c.update_one(
                {"_id": bucket, "count": {"$lt": limit}, "claims": {"$ne": claim_id}},
                {
                    "$inc": {"count": 1},
                    "$push": {"claims": claim_id},
                    "$setOnInsert": {"tenant": tenant},
                },
                upsert=limit > 0,
            )
        found = await self._c.find_one({"_id": bucket, "claims": claim_id}, {"_id": 1})
        return found is not None

    async def release(self, tenant: str, key: str, claim_id: str) -> None:
        await self._c.update_one(
            {"_id": f"{tenant}:{key}", "claims": claim_id},
            {"$inc": {"count": -1}, "$pull": {"claims": claim_id}},
        )

    async def count(self, tenant: str, key: str) -> int:
        doc = await self._c.find_one({"_id": f"{tenant}:{key}"}, {"count": 1})
        return int(doc["count"]) if doc else 0
