"""A member's orders and redemptions, newest first, on (tenant, member_id, time, _id) indexes.

Every query names the member: a caller can only ever page through one member's documents.
"""

from __future__ import annotations

from typing import Any

from loyalty.directory import VISIBLE_REDEMPTIONS, TimeKey
from loyalty.orders import Order
from loyalty.rewards import Redemption
from mongo.orders import order_from
from mongo.redemptions import redemption_from


def _newest_first(tenant: str, member_id: str, field: str, after: TimeKey | None) -> dict[str, Any]:
    query: dict[str, Any] = {"tenant": tenant, "member_id": member_id}
    if after is not None:
        # _ids are tenant:id, so the tie-break compares within the same tenant prefix.
        last_id = f"{tenant}:{after.id}"
        query["$or"] = [
            {field: {"$lt": after.at}},
            {field: after.at, "_id": {"$lt": last_id}},
        ]
    return query


class MongoMemberHistory:
    def __init__(self, db: Any) -> None:
        self._orders = db["orders"]
        self._redemptions = db["redemptions"]

    async def orders(
        self, tenant: str, member_id: str, after: TimeKey | None, limit: int
    ) -> list[Order]:
        cursor = (
            self._orders.find(_newest_first(tenant, member_id, "placed_at", after), {"lines": 0})
            .sort([("placed_at", -1), ("_id", -1)])
            .hint("tenant_member_placed_at_id")
            .limit(limit)
        )
        return [order_from(doc) for doc in await cursor.to_list(None)]

    async def redemptions(
        self, tenant: str, member_id: str, after: TimeKey | None, limit: int
    ) -> list[Redemption]:
        query = _newest_first(tenant, member_id, "created_at", after)
        query["status"] = {"$in": [s.value for s in VISIBLE_REDEMPTIONS]}
        cursor = (
            self._redemptions.find(query)
            .sort([("created_at", -1), ("_id", -1)])
            .hint("tenant_member_created_at_id")
            .limit(limit)
        )
        return [redemption_from(doc) for doc in await cursor.to_list(None)]
