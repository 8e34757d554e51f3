"""Store connections (one per tenant and platform) and the deliveries already handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ReturnDocument

from loyalty.stores import OrderStage, StoreConnection, StorePlatform
from mongo.codec import utc, utc_or_none


def _key(tenant: str, platform: StorePlatform) -> str:
    return f"{tenant}:{platform.value}"


def _from(doc: dict[str, Any]) -> StoreConnection:
    return StoreConnection(
        tenant=doc["tenant"],
        platform=StorePlatform(doc["platform"]),
        store_id=doc.get("store_id"),
        earn_on=OrderStage(doc["earn_on"]),
        secret=doc["secret"],
        connected_at=utc(doc["connected_at"]),
        last_event_at=utc_or_none(doc.get("last_event_at")),
        events_accepted=doc.get("events_accepted", 0),
        events_rejected=doc.get("events_rejected", 0),
    )


class MongoStoreConnections:
    def __init__(self, db: Any) -> None:
        self._c = db["store_connections"]

    async def save(self, connection: StoreConnection) -> StoreConnection:
        doc = await self._c.find_one_and_update(
            {"_id": _key(connection.tenant, connection.platform), "tenant": connection.tenant},
            {
                "$set": {
                    "platform": connection.platform.value,
                    "store_id": connection.store_id,
                    "earn_on": connection.earn_on.value,
                    "secret": connection.secret,
                    "connected_at": connection.connected_at,
                },
                "$setOnInsert": {"events_accepted": 0, "events_rejected": 0},
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return _from(doc)

    async def get(self, tenant: str, platform: StorePlatform) -> StoreConnection | None:
        doc = await self._c.find_one({"_id": _key(tenant, platform), "tenant": tenant})
        return _from(doc) if doc else None

    async def list(self, tenant: str) -> list[StoreConnection]:
        cursor = self._c.find({"tenant": tenant}).sort("platform", 1)
        return [_from(doc) async for doc in cursor]

    async def delete(self, tenant: str, platform: StorePlatform) -> bool:
        result = await self._c.delete_one({"_id": _key(tenant, platform), "tenant": tenant})
        return bool(result.deleted_count)

    async def count_event(
        self, tenant: str, platform: StorePlatform, *, accepted: bool, at: datetime
    ) -> None:
        counter = "events_accepted" if accepted else "events_rejected"
        await self._c.update_one(
            {"_id": _key(tenant, platform), "tenant": tenant},
            {"$inc": {counter: 1}, "$max": {"last_event_at": at}},
        )


class MongoDeliveryLog:
    """Delivery ids seen, kept for DELIVERY_RETENTION (platforms retry for hours to days)."""

    def __init__(self, db: Any) -> None:
        self._c = db["store_deliveries"]

    async def seen(self, tenant: str, platform: StorePlatform, delivery_id: str) -> bool:
        key = f"{tenant}:{platform.value}:{delivery_id}"
        return await self._c.find_one({"_id": key, "tenant": tenant}) is not None

    async def note(
        self, tenant: str, platform: StorePlatform, delivery_id: str, kind: str, at: datetime
    ) -> None:
        key = f"{tenant}:{platform.value}:{delivery_id}"
        await self._c.update_one(
            {"_id": key, "tenant": tenant},
            {"$setOnInsert": {"kind": kind, "at": at}},
            upsert=True,
        )
