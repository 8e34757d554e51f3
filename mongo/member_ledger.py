"""The ledger side of the members repository: a wallet's journal copied to the ledger (and
counted on the leaderboards) before it is marked synced, and the ledger read back, with any
journal a crash left unsynced copied first so that history never misses a committed change."""

from __future__ import annotations

from typing import Any

from bson import ObjectId
from pymongo import DESCENDING

from loyalty.ledger import HistoryKey, LedgerEntry
from mongo.codec import object_id
from mongo.leaderboard_counters import LeaderboardCounters
from mongo.wallets import SYNCED, entry_from, unsynced_journal, write_entries


class MemberLedger:
    """Mixed into MongoMembers, whose collections these are."""

    _c: Any
    _ledger: Any
    _counters: LeaderboardCounters

    async def _write_entries(self, tenant: str, member_id: str, docs: list[dict[str, Any]]) -> None:
        """Copies a journal to the ledger and counts it on the leaderboards, both before the
        journal is marked synced: a crash in between leaves it unsynced, to be copied and
        counted again (each idempotent)."""
        await write_entries(self._ledger, docs)
        await self._counters.count(tenant, member_id, docs)

    async def _mark_synced(self, oid: ObjectId | None, tenant: str, seq: int) -> None:
        """The ledger now holds the journal: clear it unless a later write already replaced it
        (then that write's own journal is what remains to copy)."""
        await self._c.update_one(
            {"_id": oid, "tenant": tenant, "wallet.seq": seq},
            {"$set": {"wallet.synced_seq": seq, "wallet.journal": [], **SYNCED}},
        )

    async def lagging_ledger_ids(self, tenant: str, limit: int) -> list[str]:
        """Wallets whose last journal is not yet known to be in the ledger (partial index
        tenant_wallet_unsynced: only such wallets are in it, so this never scans members)."""
        cursor = self._c.find(
            {"tenant": tenant, "wallet.unsynced_seq": {"$gt": 0}}, {"_id": 1}
        ).limit(limit)
        return [str(doc["_id"]) for doc in await cursor.to_list(None)]

    async def operation_entries(
        self, tenant: str, member_id: str, op_id: str
    ) -> tuple[LedgerEntry, ...]:
        """What an operation wrote to this wallet, if it was applied (a journal a crash left
        unsynced is copied first, so the answer is complete)."""
        await self.sync_ledger(tenant, member_id)
        return await self._entries_for(tenant, member_id, op_id)

    async def sync_ledger(self, tenant: str, member_id: str) -> bool:
        """Copies the wallet's unsynced journal to the ledger and marks it synced. Safe to race
        with a write: copies are idempotent and the mark is conditional on the seq read."""
        oid = object_id(member_id)
        doc = await self._c.find_one({"_id": oid, "tenant": tenant}, {"wallet": 1})
        wallet = (doc or {}).get("wallet") or {}
        pending = unsynced_journal(wallet)
        if doc is None or not pending:
            return False
        await self._write_entries(tenant, member_id, pending)
        await self._mark_synced(oid, tenant, wallet["seq"])
        return True

    async def _entries_by_op(
        self, tenant: str, member_id: str, op_ids: list[str]
    ) -> dict[str, tuple[LedgerEntry, ...]]:
        """What each of these operations wrote to the wallet, if applied (tenant_member_op)."""
        if not op_ids:
            return {}
        query = {"tenant": tenant, "member_id": member_id, "op_id": {"$in": sorted(set(op_ids))}}
        found: dict[str, list[LedgerEntry]] = {}
        for doc in await self._ledger.find(query).sort("seq", 1).to_list(None):
            found.setdefault(doc["op_id"], []).append(entry_from(doc))
        return {op_id: tuple(entries) for op_id, entries in found.items()}

    async def _entries_for(
        self, tenant: str, member_id: str, op_id: str
    ) -> tuple[LedgerEntry, ...]:
        cursor = self._ledger.find({"tenant": tenant, "member_id": member_id, "op_id": op_id}).sort(
            "seq", 1
        )
        return tuple(entry_from(doc) for doc in await cursor.to_list(None))

    async def ledger_page(
        self, tenant: str, member_id: str, before_seq: int | None, limit: int
    ) -> list[LedgerEntry]:
        """Newest first. A journal still unsynced (a crash between the two writes) is copied
        first, so that history is never missing an entry whose wallet change was committed."""
        await self._copy_unsynced(tenant, member_id)
        query: dict[str, Any] = {"tenant": tenant, "member_id": member_id}
        if before_seq is not None:
            query["seq"] = {"$lt": before_seq}
        cursor = self._ledger.find(query).sort("seq", DESCENDING).limit(limit)
        return [entry_from(d) for d in await cursor.to_list(None)]

    async def history_page(
        self, tenant: str, member_id: str, after: HistoryKey | None, limit: int
    ) -> list[LedgerEntry]:
        """Newest effective date first, then newest seq (HistoryKey), unsynced journal first."""
        await self._copy_unsynced(tenant, member_id)
        query: dict[str, Any] = {"tenant": tenant, "member_id": member_id}
        if after is not None:
            query["$or"] = [
                {"created_at": {"$lt": after.at}},
                {"created_at": after.at, "seq": {"$lt": after.seq}},
            ]
        cursor = (
            self._ledger.find(query)
            .sort([("created_at", DESCENDING), ("seq", DESCENDING)])
            .hint("tenant_member_created_at_seq")
            .limit(limit)
        )
        return [entry_from(d) for d in await cursor.to_list(None)]

    async def _copy_unsynced(self, tenant: str, member_id: str) -> None:
        doc = await self._c.find_one(
            {"_id": object_id(member_id), "tenant": tenant, "wallet.unsynced_seq": {"$gt": 0}},
            {"wallet": 1},
        )
        if doc is not None:
            journal = unsynced_journal(doc.get("wallet") or {})
            await self._write_entries(tenant, member_id, journal)
