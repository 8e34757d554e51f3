"""Push devices (one document per tenant and token) and notification preferences."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError

from loyalty.devices import Category, Device, DevicePlatform, NotificationPrefs
from mongo.codec import utc


def _device_from(doc: dict[str, Any]) -> Device:
    return Device(
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        token=doc["token"],
        platform=DevicePlatform(doc["platform"]),
        registered_at=utc(doc["registered_at"]),
        locale=doc.get("locale"),
        timezone=doc.get("timezone"),
    )


class MongoDevices:
    def __init__(self, db: Any) -> None:
        self._c = db["devices"]

    async def register(self, device: Device, replaces: str | None) -> Device:
        """Keyed by (tenant, token): registering a token another member holds moves it."""
        if replaces is not None and replaces != device.token:
            await self._c.delete_one(
                {"_id": f"{device.tenant}:{replaces}", "member_id": device.member_id}
            )
        fields = {
            "tenant": device.tenant,
            "member_id": device.member_id,
            "token": device.token,
            "platform": device.platform.value,
            "registered_at": device.registered_at,
            "locale": device.locale,
            "timezone": device.timezone,
        }
        key = {"_id": f"{device.tenant}:{device.token}"}
        try:
            await self._c.update_one(key, {"$set": fields}, upsert=True)
        except DuplicateKeyError:
            # Two first registrations of one token raced; the document exists now.
            await self._c.update_one(key, {"$set": fields})
        return device

    async def unregister(self, tenant: str, member_id: str, token: str) -> bool:
        result = await self._c.delete_one({"_id": f"{tenant}:{token}", "member_id": member_id})
        return bool(result.deleted_count == 1)

    async def for_member(self, tenant: str, member_id: str) -> list[Device]:
        cursor = self._c.find({"tenant": tenant, "member_id": member_id}).limit(50)
        return [_device_from(doc) for doc in await cursor.to_list(None)]

    async def for_members(self, tenant: str, member_ids: list[str]) -> dict[str, list[Device]]:
        """One query for a drain's whole batch (index tenant_member)."""
        found: dict[str, list[Device]] = {member_id: [] for member_id in member_ids}
        cursor = self._c.find({"tenant": tenant, "member_id": {"$in": member_ids}})
        for doc in await cursor.to_list(None):
            found[doc["member_id"]].append(_device_from(doc))
        return found

    async def forget(self, tenant: str, tokens: list[str]) -> None:
        if tokens:
            await self._c.delete_many({"_id": {"$in": [f"{tenant}:{t}" for t in tokens]}})


class MongoPreferences:
    def __init__(self, db: Any) -> None:
        self._c = db["notification_prefs"]

    async def get(self, tenant: str, member_id: str) -> NotificationPrefs:
        doc = await self._c.find_one({"_id": f"{tenant}:{member_id}"})
        return NotificationPrefs() if doc is None else _prefs_from(doc)

    async def get_many(self, tenant: str, member_ids: list[str]) -> dict[str, NotificationPrefs]:
        found = {member_id: NotificationPrefs() for member_id in member_ids}
        if not member_ids:
            return found  # an empty $in names no shard: it would go to every one
        ids = [f"{tenant}:{member_id}" for member_id in member_ids]
        for doc in await self._c.find({"_id": {"$in": ids}}).to_list(None):
            found[doc["member_id"]] = _prefs_from(doc)
        return found

    async def save(self, tenant: str, member_id: str, prefs: NotificationPrefs) -> None:
        await self._c.update_one(
            {"_id": f"{tenant}:{member_id}"},
            {
                "$set": {
                    "tenant": tenant,
                    "member_id": member_id,
                    "opted_out": sorted(c.value for c in prefs.opted_out),
                    "quiet_start": prefs.quiet_start,
                    "quiet_end": prefs.quiet_end,
                }
            },
            upsert=True,
        )


def _prefs_from(doc: dict[str, Any]) -> NotificationPrefs:
    return NotificationPrefs(
        opted_out=frozenset(Category(c) for c in doc.get("opted_out", [])),
        quiet_start=doc.get("quiet_start"),
        quiet_end=doc.get("quiet_end"),
    )
