"""Leases: any number of schedulers may run; a job runs once per tick, on one of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError


class MongoLeases:
    def __init__(self, db: Any) -> None:
        self._c = db["leases"]

    async def acquire(self, job: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take the lease if it is free or expired (or already ours)."""
        try:
            result = await self._c.update_one(
                {"_id": job, "$or": [{"until": {"$lte": now}}, {"holder": holder}]},
                {"$set": {"holder": holder, "until": now + ttl}},
                upsert=True,
            )
        except DuplicateKeyError:
            return False  # someone else holds a live lease
        return bool(result.matched_count == 1 or result.upserted_id is not None)

    async def release(self, job: str, holder: str, now: datetime) -> None:
        await self._c.update_one({"_id": job, "holder": holder}, {"$set": {"until": now}})
