"""Leases: any number of schedulers may run; each job runs on one of them at a time.

A lease lasts `ttl` and its holder renews it while the job runs. Every acquisition increments
the lease's fencing token, so a holder whose lease lapsed and was taken over can tell (its
renewal fails; it stops), and its late release or renewal never touches the new holder's
lease. Jobs still make their writes safe on their own (conditional updates, dedupe keys), for
the moments between a lapse and the failed renewal that stops the old holder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from mongo.codec import utc


@dataclass(frozen=True)
class Lease:
    job: str
    holder: str
    token: int  # fencing token: grows with each acquisition of this job's lease
    until: datetime


class MongoLeases:
    def __init__(self, db: Any) -> None:
        self._c = db["leases"]

    async def acquire(self, job: str, holder: str, now: datetime, ttl: timedelta) -> Lease | None:
        """The lease when it was free or expired; None while another run holds it."""
        try:
            doc = await self._c.find_one_and_update(
                {"_id": job, "until": {"$lte": now}},
                {"$set": {"holder": holder, "until": now + ttl}, "$inc": {"token": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return None  # someone holds a live lease
        return Lease(job, holder, int(doc["token"]), utc(doc["until"]))

    async def renew(self, lease: Lease, now: datetime, ttl: timedelta) -> Lease | None:
        """The lease extended to `now + ttl`; None once another holder took it (then the job
        must stop). A lapsed lease nobody took is still ours: no one else ran meanwhile."""
        until = now + ttl
        result = await self._c.update_one(
            {"_id": lease.job, "holder": lease.holder, "token": lease.token},
            {"$set": {"until": until}},
        )
        if result.matched_count != 1:
            return None
        return Lease(lease.job, lease.holder, lease.token, until)

    async def release(self, lease: Lease, now: datetime) -> None:
        await self._c.update_one(
            {"_id": lease.job, "holder": lease.holder, "token": lease.token},
            {"$set": {"until": now}},
        )
