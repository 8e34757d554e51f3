"""Transfer records and the daily allowance they count against."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from loyalty.gifting import Transfer, TransferStatus
from mongo.codec import utc, utc_or_none

PENDING = TransferStatus.PENDING.value
MAX_ATTEMPTS = 8


def _doc(t: Transfer) -> dict[str, Any]:
    return {
        "_id": t.id,
        "tenant": t.tenant,
        "sender_id": t.sender_id,
        "recipient_id": t.recipient_id,
        "points": t.points,
        "status": t.status.value,
        "created_at": t.created_at,
        "armed_at": t.armed_at,
        "attempt": t.attempt,
        "day": t.day,
        "sweep_at": t.sweep_at,
    }


def transfer_from(doc: dict[str, Any]) -> Transfer:
    return Transfer(
        id=doc["_id"],
        tenant=doc["tenant"],
        sender_id=doc["sender_id"],
        recipient_id=doc["recipient_id"],
        points=doc["points"],
        status=TransferStatus(doc["status"]),
        created_at=utc(doc["created_at"]),
        armed_at=utc(doc["armed_at"]),
        attempt=doc["attempt"],
        day=doc["day"],
        sweep_at=utc_or_none(doc.get("sweep_at")),
    )


def _allowance_id(t: Transfer) -> str:
    return f"{t.tenant}:{t.sender_id}:{t.day}"


class MongoTransfers:
    def __init__(self, db: Any) -> None:
        self._c = db["transfers"]
        self._allowances = db["transfer_allowances"]

    async def open(self, transfer: Transfer) -> Transfer:
        try:
            await self._c.insert_one(_doc(transfer))
        except DuplicateKeyError:
            existing = await self.get(transfer.tenant, transfer.id)
            assert existing is not None
            return existing
        return transfer

    async def get(self, tenant: str, transfer_id: str) -> Transfer | None:
        doc = await self._c.find_one({"_id": transfer_id, "tenant": tenant})
        return transfer_from(doc) if doc else None

    async def _change(self, query: dict[str, Any], update: dict[str, Any]) -> Transfer | None:
        doc = await self._c.find_one_and_update(query, update, return_document=ReturnDocument.AFTER)
        return transfer_from(doc) if doc else None

    async def complete(self, tenant: str, transfer_id: str) -> Transfer | None:
        return await self._change(
            {"_id": transfer_id, "tenant": tenant, "status": PENDING},
            {"$set": {"status": TransferStatus.COMPLETED.value, "sweep_at": None}},
        )

    async def fail(self, tenant: str, transfer_id: str, attempt: int) -> Transfer | None:
        return await self._change(
            {"_id": transfer_id, "tenant": tenant, "status": PENDING, "attempt": attempt},
            {"$set": {"status": TransferStatus.FAILED.value, "sweep_at": None}},
        )

    async def rearm(
        self, tenant: str, transfer_id: str, attempt: int, now: datetime, sweep_at: datetime
    ) -> Transfer | None:
        return await self._change(
            {
                "_id": transfer_id,
                "tenant": tenant,
                "status": TransferStatus.FAILED.value,
                "attempt": attempt,
            },
            {
                "$set": {"status": PENDING, "armed_at": now, "sweep_at": sweep_at},
                "$inc": {"attempt": 1},
            },
        )

    async def due_for_sweep(self, tenant: str, now: datetime, limit: int) -> list[Transfer]:
        """Index tenant_sweep_at; settled transfers have none."""
        cursor = (
            self._c.find({"tenant": tenant, "sweep_at": {"$lte": now}})
            .sort("sweep_at", ASCENDING)
            .limit(limit)
        )
        return [transfer_from(doc) for doc in await cursor.to_list(None)]

    async def sent_on(self, tenant: str, sender_id: str, day: str) -> int:
        doc = await self._allowances.find_one({"_id": f"{tenant}:{sender_id}:{day}"})
        return int((doc or {}).get("total", 0))

    async def take_allowance(self, transfer: Transfer, cap: int, expire_at: datetime) -> bool:
        """One conditional update: counted once per transfer (its id among the holders), and
        only while the day's total stays within the cap."""
        key = _allowance_id(transfer)
        if transfer.points > cap:
            return False
        for _ in range(MAX_ATTEMPTS):
            try:
                await self._allowances.update_one(
                    {
                        "_id": key,
                        "holders": {"$ne": transfer.id},
                        "total": {"$lte": cap - transfer.points},
                    },
                    {
                        "$inc": {"total": transfer.points},
                        "$push": {"holders": transfer.id},
                        "$setOnInsert": {"tenant": transfer.tenant, "expire_at": expire_at},
                    },
                    upsert=True,
                )
                return True
            except DuplicateKeyError:
                # The day's document exists and did not match: already counted, or full. (Or
                # two first transfers of the day raced to create it: try again.)
                doc = await self._allowances.find_one({"_id": key})
                if doc is None:
                    continue
                if transfer.id in doc.get("holders", []):
                    return True
                if doc.get("total", 0) + transfer.points > cap:
                    return False
        return False

    async def return_allowance(self, transfer: Transfer) -> None:
        await self._allowances.update_one(
            {"_id": _allowance_id(transfer), "holders": transfer.id},
            {"$inc": {"total": -transfer.points}, "$pull": {"holders": transfer.id}},
        )

    async def for_member(self, tenant: str, member_id: str) -> list[dict[str, Any]]:
        """Sent and received (indexes tenant_sender_created_at, tenant_recipient_created_at)."""
        found = []
        for side in ("sender_id", "recipient_id"):
            cursor = self._c.find({"tenant": tenant, side: member_id}).sort("created_at", 1)
            found += await cursor.to_list(None)
        return found
