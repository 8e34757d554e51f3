"""Charities, and the donation totals read from the ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING

from loyalty.gifting import Charity
from loyalty.gifting_ports import CharityTotal
from loyalty.ledger import TransactionType
from mongo.codec import text_doc, text_from, utc


def _charity_from(doc: dict[str, Any]) -> Charity:
    return Charity(
        id=doc["id"],
        name=text_from(doc.get("name")),
        logo_url=doc.get("logo_url"),
        active=bool(doc.get("active", True)),
        created_at=utc(doc["created_at"]),
        updated_at=utc(doc["updated_at"]),
    )


class MongoCharities:
    def __init__(self, db: Any) -> None:
        self._c = db["charities"]
        self._ledger = db["ledger"]

    async def save(self, tenant: str, charity: Charity) -> None:
        doc_id = f"{tenant}:{charity.id}"
        await self._c.replace_one(
            {"_id": doc_id, "tenant": tenant},
            {
                "_id": doc_id,
                "tenant": tenant,
                "id": charity.id,
                "name": text_doc(charity.name),
                "logo_url": charity.logo_url,
                "active": charity.active,
                "created_at": charity.created_at,
                "updated_at": charity.updated_at,
            },
            upsert=True,
        )

    async def get(self, tenant: str, charity_id: str) -> Charity | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{charity_id}", "tenant": tenant})
        return _charity_from(doc) if doc else None

    async def totals(self, tenant: str, start: datetime, end: datetime) -> list[CharityTotal]:
        """Index tenant_type_created_at on the ledger: the DONATE entries of the range."""
        pipeline = [
            {
                "$match": {
                    "tenant": tenant,
                    "type": TransactionType.DONATE.value,
                    "created_at": {"$gte": start, "$lt": end},
                }
            },
            {
                "$group": {
                    "_id": "$reason_params.charity_id",
                    "points": {"$sum": "$points"},
                    "donations": {"$sum": 1},
                }
            },
        ]
        cursor = await self._ledger.aggregate(pipeline)
        return [
            CharityTotal(
                charity_id=str(doc["_id"]), points=-int(doc["points"]), donations=doc["donations"]
            )
            for doc in await cursor.to_list(None)
        ]

    async def list(self, tenant: str, *, active_only: bool) -> list[Charity]:
        # A merchant supports a handful (capped by upsertCharity); index tenant_created_at.
        cursor = self._c.find({"tenant": tenant}).sort("created_at", ASCENDING).limit(1000)
        charities = [_charity_from(doc) for doc in await cursor.to_list(None)]
        return [c for c in charities if c.active] if active_only else charities
