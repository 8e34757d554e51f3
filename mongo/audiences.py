"""Members found for notification jobs, always through an index (never a scan of a tenant)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from loyalty.members import Member
from loyalty.notification_ports import AudienceMember, ExpiringWallet
from mongo.codec import object_id, object_ids, utc_or_none
from mongo.members import member_from
from mongo.wallets import hold_from

# Of each lot only its expiry and what is left of it: a lot has nine fields (three dates), and
# decoding whole lots was most of what a reminder run spent per member.
_EXPIRING_FIELDS = {
    "locale": 1,
    "wallet.lots.expires_at": 1,
    "wallet.lots.remaining": 1,
    "wallet.holds": 1,
}


class MongoAudiences:
    def __init__(self, db: Any) -> None:
        self._c = db["members"]

    async def expiring_within(
        self, tenant: str, windows: Sequence[tuple[datetime, datetime]]
    ) -> AsyncIterator[ExpiringWallet]:
        """Index tenant_wallet_expiry_dates, one range per window ($elemMatch so both bounds
        apply to the same date; $or so each window is its own index range). Only the fields
        the reminders read come back."""
        ranges = [
            {"wallet.expiry_dates": {"$elemMatch": {"$gt": start, "$lte": end}}}
            for start, end in windows
        ]
        if not ranges:
            return
        query: dict[str, Any] = {"tenant": tenant}
        if len(ranges) == 1:
            query.update(ranges[0])
        else:
            query["$or"] = ranges
        cursor = self._c.find(query, _EXPIRING_FIELDS).batch_size(1000)
        async for doc in cursor:
            wallet = doc.get("wallet") or {}
            lots = tuple(
                (utc_or_none(lot.get("expires_at")), lot.get("remaining", 0))
                for lot in wallet.get("lots", ())
            )
            holds = tuple(hold_from(hold) for hold in wallet.get("holds", ()))
            yield ExpiringWallet(str(doc["_id"]), doc["locale"], lots, holds)

    async def last_ordered_between(
        self, tenant: str, start: datetime, end: datetime
    ) -> AsyncIterator[Member]:
        query = {"tenant": tenant, "last_order_at": {"$gt": start, "$lte": end}}
        async for doc in self._c.find(query).batch_size(1000):
            yield member_from(doc)

    async def by_ids(self, tenant: str, member_ids: list[str]) -> dict[str, Member]:
        oids = object_ids(member_ids)
        cursor = self._c.find({"_id": {"$in": oids}, "tenant": tenant})
        return {str(doc["_id"]): member_from(doc) for doc in await cursor.to_list(None)}

    async def born_on(
        self, tenant: str, month_days: tuple[str, ...], after_id: str | None, limit: int
    ) -> list[Member]:
        """Members whose birthday falls on one of `month_days` ("02-28"), one page in _id order
        (index tenant_birthday_md_id)."""
        query: dict[str, Any] = {"tenant": tenant, "birthday_md": {"$in": list(month_days)}}
        if after_id is not None:
            after = object_id(after_id)
            if after is None:
                return []
            query["_id"] = {"$gt": after}
        cursor = self._c.find(query).sort("_id", 1).limit(limit)
        return [member_from(doc) for doc in await cursor.to_list(None)]

    def _audience(self, tenant: str, segment: str | None, tier_id: str | None) -> dict[str, Any]:
        query: dict[str, Any] = {"tenant": tenant}
        if segment is not None:
            query["segment"] = segment
        if tier_id is not None:
            query["tier_status.tier_id"] = tier_id
        return query

    async def stream_audience(
        self, tenant: str, segment: str | None, tier_id: str | None, after_id: str | None
    ) -> AsyncIterator[AudienceMember]:
        query = self._audience(tenant, segment, tier_id)
        if after_id is not None:
            after = object_id(after_id)
            if after is None:
                return
            query["_id"] = {"$gt": after}
        cursor = self._c.find(query, {"locale": 1}).sort("_id", 1).batch_size(1000)
        async for doc in cursor:
            yield AudienceMember(str(doc["_id"]), doc["locale"])

    async def still_in_audience(
        self, tenant: str, segment: str | None, tier_id: str | None, member_ids: list[str]
    ) -> set[str]:
        """By _id, the audience's conditions on top (a campaign's send-time re-check)."""
        oids = object_ids(member_ids)
        if not oids:
            return set()
        query = {**self._audience(tenant, segment, tier_id), "_id": {"$in": oids}}
        return {str(doc["_id"]) for doc in await self._c.find(query, {"_id": 1}).to_list(None)}

    async def audience_size(self, tenant: str, segment: str | None, tier_id: str | None) -> int:
        return int(await self._c.count_documents(self._audience(tenant, segment, tier_id)))

    async def in_audience(
        self,
        tenant: str,
        segment: str | None,
        tier_id: str | None,
        after_id: str | None,
        limit: int,
    ) -> list[Member]:
        """One page in _id order (indexes tenant_segment_id / tenant_tier_id / tenant_id), so a
        campaign can resume after the last member it queued."""
        query = self._audience(tenant, segment, tier_id)
        if after_id is not None:
            after = object_id(after_id)
            if after is None:
                return []
            query["_id"] = {"$gt": after}
        cursor = self._c.find(query).sort("_id", 1).limit(limit)
        return [member_from(doc) for doc in await cursor.to_list(None)]
