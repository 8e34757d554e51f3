"""The member event log: recorded once by key, handled once per consumer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from loyalty.member_events import MemberEvent, MemberEventKind
from mongo.codec import utc


class MongoMemberEvents:
    def __init__(self, db: Any) -> None:
        self._c = db["member_events"]

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
        cursor = (
            self._c.find(
                {
                    "tenant": tenant,
                    "kind": {"$in": [k.value for k in kinds]},
                    "handled_by": {"$ne": consumer},
                }
            )
            .sort("occurred_at", 1)
            .limit(limit)
        )
        return [_from(doc) for doc in await cursor.to_list(None)]

    async def mark_handled(self, tenant: str, consumer: str, event_id: str) -> None:
        await self._c.update_one(
            {"_id": event_id, "tenant": tenant}, {"$addToSet": {"handled_by": consumer}}
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
