"""Fixed-window request counters shared by every process: a storage for the `limits` package.

`limits` ships a MongoDB storage, but it needs Motor (a second driver beside PyMongo's own
async client) and counts with aggregation-pipeline updates. This one counts with plain
atomic updates on one document per caller, `{_id: key, window, count, expire_at}`:
- the usual path is one `findOneAndUpdate` that adds to the current window's count;
- when the stored window is over, one conditional update starts the next (only one process
  can win it: the loser's filter no longer matches and it counts into the new window);
- windows start at multiples of their length, so every process agrees on them; a process
  whose clock lags counts into the newer window it finds.
The TTL index on `expire_at` removes the counters of callers gone quiet.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from limits.aio.storage import Storage
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError, PyMongoError

from loyalty.clock import Clock

COLLECTION = "rate_windows"
ATTEMPTS = 5


class MongoRateWindows(Storage):
    STORAGE_SCHEME = ["loyalty+mongodb"]  # noqa: RUF012 (limits reads it; built directly)

    def __init__(self, db: Any, clock: Clock) -> None:
        super().__init__()
        self._counters = db[COLLECTION]
        self.clock = clock

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return PyMongoError

    def _window(self, expiry: int) -> tuple[int, datetime]:
        start = math.floor(self.clock.now().timestamp() / expiry) * expiry
        return start, datetime.fromtimestamp(start + expiry, UTC)

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        start, ends = self._window(expiry)
        for _ in range(ATTEMPTS):
            counted = await self._counters.find_one_and_update(
                {"_id": key, "window": {"$gte": start}},
                {"$inc": {"count": amount}},
                projection={"count": True},
                return_document=ReturnDocument.AFTER,
            )
            if counted is not None:
                return int(counted["count"])
            try:  # no counter, or an old window's: start this one
                await self._counters.update_one(
                    {"_id": key, "window": {"$lt": start}},
                    {"$set": {"window": start, "count": amount, "expire_at": ends}},
                    upsert=True,
                )
                return amount
            except DuplicateKeyError:  # another process started it first: count into it
                continue
        raise RuntimeError(f"could not count a request for {key}")

    async def get(self, key: str) -> int:
        doc = await self._counters.find_one({"_id": key})
        if doc is None or doc["expire_at"] <= self.clock.now():
            return 0
        return int(doc["count"])

    async def get_expiry(self, key: str) -> float:
        doc = await self._counters.find_one({"_id": key})
        if doc is None:
            return self.clock.now().timestamp()
        expire_at: datetime = doc["expire_at"]
        return expire_at.timestamp()

    async def check(self) -> bool:
        try:
            await self._counters.database.command("ping")
        except PyMongoError:
            return False
        return True

    async def reset(self) -> int | None:
        result = await self._counters.delete_many({})
        return int(result.deleted_count)

    async def clear(self, key: str) -> None:
        await self._counters.delete_one({"_id": key})
