"""Scheduled campaigns, and the per-tenant progress of time-window jobs."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from loyalty.notification_ports import Campaign, CampaignPage
from mongo.codec import text_doc, text_from, utc, utc_or_none


def _from(doc: dict[str, Any]) -> Campaign:
    return Campaign(
        tenant=doc["tenant"],
        id=doc["id"],
        name=doc["name"],
        title=text_from(doc["title"]),
        body=text_from(doc["body"]),
        send_at=utc(doc["send_at"]),
        created_at=utc(doc["created_at"]),
        segment=doc.get("segment"),
        tier_id=doc.get("tier_id"),
        status=doc["status"],
        cursor=doc.get("cursor"),
        queued=doc.get("queued", 0),
        started_at=utc_or_none(doc.get("started_at")),
        audience=doc.get("audience"),
        finished_at=utc_or_none(doc.get("finished_at")),
    )


class MongoCampaigns:
    def __init__(self, db: Any) -> None:
        self._c = db["campaigns"]

    async def insert(self, campaign: Campaign) -> Campaign:
        doc = {
            "_id": f"{campaign.tenant}:{campaign.id}",
            "tenant": campaign.tenant,
            "id": campaign.id,
            "name": campaign.name,
            "title": text_doc(campaign.title),
            "body": text_doc(campaign.body),
            "send_at": campaign.send_at,
            "created_at": campaign.created_at,
            "segment": campaign.segment,
            "tier_id": campaign.tier_id,
            "status": campaign.status,
            "cursor": None,
            "queued": 0,
        }
        try:
            await self._c.insert_one(doc)
        except DuplicateKeyError:
            existing = await self._c.find_one({"_id": doc["_id"], "tenant": campaign.tenant})
            return _from(existing) if existing else campaign
        return campaign

    async def page(
        self, tenant: str, after: tuple[datetime, str] | None, limit: int
    ) -> CampaignPage:
        """Newest first, by (created_at, _id); index tenant_created_at_id."""
        query: dict[str, Any] = {"tenant": tenant}
        if after is not None:
            at, last_id = after
            key = f"{tenant}:{last_id}"
            query["$or"] = [{"created_at": {"$lt": at}}, {"created_at": at, "_id": {"$lt": key}}]
        cursor = (
            self._c.find(query)
            .sort([("created_at", DESCENDING), ("_id", DESCENDING)])
            .limit(limit + 1)
        )
        docs = await cursor.to_list(None)
        return CampaignPage(items=[_from(d) for d in docs[:limit]], has_next=len(docs) > limit)

    async def due(self, tenant: str, now: datetime, limit: int) -> list[Campaign]:
        cursor = (
            self._c.find(
                {
                    "tenant": tenant,
                    "status": {"$in": ["SCHEDULED", "SENDING"]},
                    "send_at": {"$lte": now},
                }
            )
            .sort("send_at", 1)
            .limit(limit)
        )
        return [_from(doc) for doc in await cursor.to_list(None)]

    async def get(self, tenant: str, campaign_id: str) -> Campaign | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{campaign_id}", "tenant": tenant})
        return _from(doc) if doc else None

    async def start(self, campaign: Campaign, at: datetime, audience: int) -> Campaign:
        key = {"_id": f"{campaign.tenant}:{campaign.id}", "tenant": campaign.tenant}
        await self._c.update_one(
            {**key, "started_at": None}, {"$set": {"started_at": at, "audience": audience}}
        )
        doc = await self._c.find_one(key)
        if doc is None:
            return campaign
        stored = _from(doc)
        return replace(campaign, started_at=stored.started_at, audience=stored.audience)

    async def advance(
        self,
        campaign: Campaign,
        cursor: str | None,
        written: int,
        done: bool,
        at: datetime | None = None,
    ) -> bool:
        key = {"_id": f"{campaign.tenant}:{campaign.id}", "tenant": campaign.tenant}
        changes: dict[str, Any] = {"cursor": cursor, "status": "DONE" if done else "SENDING"}
        if done and at is not None:
            changes["finished_at"] = at
        moved = await self._c.update_one(
            {**key, "cursor": campaign.cursor, "status": {"$in": ["SCHEDULED", "SENDING"]}},
            {"$set": changes, "$inc": {"queued": written}},
        )
        if moved.matched_count == 1:
            return True
        if written:  # what this worker wrote still counts, whoever moved the campaign on
            await self._c.update_one(key, {"$inc": {"queued": written}})
        return False


class MongoJobCursors:
    def __init__(self, db: Any) -> None:
        self._c = db["job_cursors"]

    async def get(self, tenant: str, job: str) -> datetime | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{job}"})
        return utc(doc["at"]) if doc else None

    async def set(self, tenant: str, job: str, at: datetime) -> None:
        # Only forward: a worker that scanned an older window (its lease lapsed) must not
        # send the next scan back over what another worker already covered.
        await self._c.update_one(
            {"_id": f"{tenant}:{job}"},
            {"$set": {"tenant": tenant}, "$max": {"at": at}},
            upsert=True,
        )
