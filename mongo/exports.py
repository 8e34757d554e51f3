"""Batches for the CSV exports, each export read through one database cursor.

The driver fetches `size` documents per round trip and the caller turns each batch into CSV
before the next one is read, so memory stays at one batch however large the tenant is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from loyalty.directory import LedgerLine
from loyalty.members import Member
from mongo.codec import object_id
from mongo.directory import PROJECTION
from mongo.indexes import member_list_index
from mongo.members import member_from
from mongo.wallets import entry_from


class MongoExports:
    def __init__(self, db: Any) -> None:
        self._members = db["members"]
        self._ledger = db["ledger"]

    async def member_batches(self, tenant: str, size: int) -> AsyncIterator[list[Member]]:
        # Oldest first: the join-order index read backwards (no sort in memory).
        cursor = (
            self._members.find({"tenant": tenant}, PROJECTION)
            .sort([("joined_at", 1), ("_id", 1)])
            .hint(member_list_index(None, "joined"))
            .batch_size(size)
        )
        batch: list[Member] = []
        async for doc in cursor:
            batch.append(member_from(doc))
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch

    async def ledger_batches(
        self, tenant: str, start: datetime, end: datetime, size: int
    ) -> AsyncIterator[list[LedgerLine]]:
        """Oldest first (ledger.tenant_created_at); external ids looked up per batch."""
        cursor = (
            self._ledger.find({"tenant": tenant, "created_at": {"$gte": start, "$lt": end}})
            .sort("created_at", 1)
            .hint("tenant_created_at")
            .batch_size(size)
        )
        batch: list[dict[str, Any]] = []
        async for doc in cursor:
            batch.append(doc)
            if len(batch) == size:
                yield await self._lines(tenant, batch)
                batch = []
        if batch:
            yield await self._lines(tenant, batch)

    async def _lines(self, tenant: str, docs: list[dict[str, Any]]) -> list[LedgerLine]:
        ids = {oid for d in docs if (oid := object_id(d["member_id"])) is not None}
        found = self._members.find(
            {"_id": {"$in": sorted(ids)}, "tenant": tenant}, {"external_id": 1}
        )
        external = {str(m["_id"]): m["external_id"] for m in await found.to_list(None)}
        return [LedgerLine(entry_from(d), external.get(d["member_id"], "")) for d in docs]
