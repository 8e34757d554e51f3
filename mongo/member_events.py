"""The member event log: recorded once by key, handled once per consumer.

Each consumer reads forward from its own cursor (`member_event_cursors`) on the index
tenant_recorded_at_id, instead of scanning every event it has not marked. The cursor is the
`recorded_at` of the oldest event the consumer had not handled at its last read (or the time
of that read when there was none), and every read starts OVERLAP before it: an event stamped
before the cursor but committed after that read (a slow insert, another instance's clock a
little behind) is still in the next read's range. Events in the overlap that were handled
already are skipped by the handled_by marker, so none is handled twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from loyalty.clock import Clock
from loyalty.member_events import MemberEvent, MemberEventKind
from mongo.codec import utc

# Longer than any insert stays in flight plus the clock skew between instances: an event
# stamped more than this before a consumer's read and committed after it would be missed.
OVERLAP = timedelta(minutes=15)
INDEX = "tenant_recorded_at_id"


class MongoMemberEvents:
    def __init__(self, db: Any, clock: Clock) -> None:
        self._c = db["member_events"]
        self._cursors = db["member_event_cursors"]
        self._clock = clock

    async def record(self, event: MemberEvent) -> bool:
        try:
            await self._c.insert_one(
                {
                    "_id": event.id,
                    "tenant": event.tenant,
                    "member_id": event.member_id,
                    "kind": event.kind.value,
                    "key": event.key,
                    "occurred_at": event.occurred_at,
                    "recorded_at": self._clock.now(),
                    "data": dict(event.data),
                    "handled_by": [],
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def unhandled(
        self, tenant: str, consumer: str, kinds: Sequence[MemberEventKind], limit: int
    ) -> list[MemberEvent]:
        """The oldest first. Moves the consumer's cursor up to the first event returned."""
        now = self._clock.now()
        cursor_id = f"{tenant}:{consumer}"
        mark = await self._cursors.find_one({"_id": cursor_id, "tenant": tenant})
        query: dict[str, Any] = {
            "tenant": tenant,
            "kind": {"$in": [k.value for k in kinds]},
            "handled_by": {"$ne": consumer},
        }
        if mark is not None:
            # Without a cursor yet, the whole log is read once (events recorded before
            # recorded_at existed have none and come first).
            query["recorded_at"] = {"$gte": utc(mark["at"]) - OVERLAP}
        docs = await (
            self._c.find(query)
            .sort([("recorded_at", 1), ("_id", 1)])
            .hint(INDEX)
            .limit(limit)
            .to_list(None)
        )
        oldest: datetime | None = docs[0].get("recorded_at") if docs else now
        if oldest is not None:
            # $max: a slower concurrent read never moves the cursor back.
            await self._cursors.update_one(
                {"_id": cursor_id},
                {"$set": {"tenant": tenant}, "$max": {"at": oldest}},
                upsert=True,
            )
        return [_from(doc) for doc in docs]

    async def mark_handled(self, tenant: str, consumer: str, event_id: str) -> None:
        await self._c.update_one(
            {"_id": event_id, "tenant": tenant},
            {"$addToSet": {"handled_by": consumer}, "$set": {"handled_at": self._clock.now()}},
        )


def _from(doc: dict[str, Any]) -> MemberEvent:
    occurred: datetime = utc(doc["occurred_at"])
    return MemberEvent(
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        kind=MemberEventKind(doc["kind"]),
        key=doc["key"],
        occurred_at=occurred,
        data=doc.get("data") or {},
    )
