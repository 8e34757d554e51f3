"""One wallet operation applied to a page of members in a few round trips (bulk jobs).

The same consistency model as a single write (mongo/members.py, mongo/wallets.py), batched:

1. journals the reads show unsynced are copied to the ledger (one unordered insert; duplicates
   are ignored) and counted, so the ledger is complete up to each wallet's read `seq`;
2. one ledger query (index tenant_member_op) finds the wallets that hold the operation
   already (a crashed or racing worker's replay): they are settled as replays. A wallet whose
   recent operation ids are complete and lack the operation never had it
   (`never_applied`): it is not asked about;
3. every other wallet gets one conditional update (`wallet.seq` still what was read) that
   writes the new state with its journal, all in one unordered bulk write;
4. the new journals are copied to the ledger (one unordered insert, under the entries'
   deterministic ids) and counted, then marked synced (one update of the wallets still as
   this call wrote them, so a later write's journal is never cleared).

A crash between any two steps leaves journals unsynced, which the next write, the next read of
the history or the ledger sweeper copies. When the bulk write matched fewer wallets than it
targeted, one read finds the wallets it did change by the mark it left on them; the others
lost a race (or their member is gone) and are handed back as unsettled, for the single-wallet
path to decide against the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bson import ObjectId
from pymongo import UpdateOne

from loyalty.errors import DomainError
from loyalty.ledger import LedgerEntry
from loyalty.lots import WalletChange
from loyalty.ports import Applied, BatchApplied, MemberRead, WalletOperation
from loyalty.wallet_changes import never_applied
from mongo.codec import object_id
from mongo.leaderboard_counters import LeaderboardCounters
from mongo.wallets import SYNCED, entry_doc, entry_from, wallet_doc, write_entries

Journals = dict[str, list[dict[str, Any]]]


def _synced(tenant: str, member_id: str, seq: int) -> UpdateOne:
    """Clears the journal written at `seq`, unless a later write already replaced it."""
    return UpdateOne(
        {"_id": object_id(member_id), "tenant": tenant, "wallet.seq": seq},
        {"$set": {"wallet.synced_seq": seq, "wallet.journal": [], **SYNCED}},
    )


class WalletBatches:
    def __init__(self, members: Any, ledger: Any, counters: LeaderboardCounters) -> None:
        self._c = members
        self._ledger = ledger
        self._counters = counters

    async def _write_journals(self, tenant: str, journals: Journals) -> None:
        """Into the ledger and onto the leaderboards, before anything is marked synced."""
        await write_entries(self._ledger, [doc for docs in journals.values() for doc in docs])
        for member_id, docs in journals.items():
            await self._counters.count(tenant, member_id, docs)  # no I/O without earnings

    async def _holding(
        self, tenant: str, member_ids: list[str], op_id: str
    ) -> dict[str, tuple[LedgerEntry, ...]]:
        """The ledger entries of `op_id` per member that has them, in seq order."""
        if not member_ids:
            return {}
        cursor = self._ledger.find(
            {"tenant": tenant, "member_id": {"$in": member_ids}, "op_id": op_id}
        )
        found: dict[str, list[LedgerEntry]] = {}
        for doc in await cursor.to_list(None):
            found.setdefault(doc["member_id"], []).append(entry_from(doc))
        return {
            member_id: tuple(sorted(entries, key=lambda e: e.seq))
            for member_id, entries in found.items()
        }

    async def _written_by(self, tenant: str, batch: str, written: list[Applied]) -> set[str]:
        """Which of the wallets the bulk write targeted it did change: those still holding
        its mark at the seq it wrote (any later wallet write replaces the whole wallet, mark
        included; those are left to the single-wallet path, which finds them as replays)."""
        wanted = {a.member.id: a.member.wallet.seq for a in written}
        ids = [object_id(m) for m in wanted]
        cursor = self._c.find(
            {"_id": {"$in": ids}, "tenant": tenant, "wallet.batch": batch},
            {"wallet.seq": 1},
        )
        return {
            str(doc["_id"])
            for doc in await cursor.to_list(None)
            if doc["wallet"]["seq"] == wanted[str(doc["_id"])]
        }

    async def _mark_synced(self, tenant: str, batch: str, member_ids: list[str]) -> None:
        """Clears the journals this call wrote, in one statement: a wallet still holding the
        call's mark is as the call left it (a later write replaces the whole wallet)."""
        if member_ids:
            await self._c.update_many(
                {
                    "_id": {"$in": [object_id(m) for m in member_ids]},
                    "tenant": tenant,
                    "wallet.batch": batch,
                },
                [{"$set": {"wallet.synced_seq": "$wallet.seq", "wallet.journal": [], **SYNCED}}],
            )

    async def apply_many(
        self, tenant: str, op_id: str, work: Sequence[tuple[MemberRead, WalletOperation]]
    ) -> BatchApplied:
        reads = {read.member.id: (read, operation) for read, operation in work}
        batch = str(ObjectId())  # marks the wallets this call writes (see _written_by)
        await self._write_journals(
            tenant,
            {
                member_id: [entry_doc(tenant, member_id, e) for e in read.unsynced]
                for member_id, (read, _) in reads.items()
                if read.unsynced
            },
        )
        changes: dict[str, WalletChange] = {}
        unsettled: list[str] = []
        for member_id, (read, operation) in reads.items():
            try:
                changes[member_id] = operation(read.member.wallet)
            except DomainError:  # refused: the single-wallet path says why
                unsettled.append(member_id)
        unsure = [
            member_id
            for member_id, change in changes.items()
            if not never_applied(reads[member_id][0].member.wallet, op_id, change)
        ]
        holding = await self._holding(tenant, unsure, op_id)
        settled: list[Applied] = []
        synced: list[UpdateOne] = []  # journals copied above, on wallets this call leaves
        updates: list[UpdateOne] = []
        written: list[Applied] = []
        journals: Journals = {}
        for member_id, change in changes.items():
            read = reads[member_id][0]
            state = read.member.wallet
            entries = holding.get(member_id)
            if entries or (not change.entries and change.state.lots == state.lots):
                settled.append(Applied(read.member, entries or (), replayed=bool(entries)))
                if read.unsynced:
                    synced.append(_synced(tenant, member_id, state.seq))
                continue
            journal = [entry_doc(tenant, member_id, e) for e in change.entries]
            updates.append(
                UpdateOne(
                    {"_id": object_id(member_id), "tenant": tenant, "wallet.seq": state.seq},
                    {
                        "$set": {
                            "wallet": {
                                **wallet_doc(change.state, journal, state.seq),
                                "batch": batch,
                            }
                        }
                    },
                )
            )
            journals[member_id] = journal
            written.append(
                Applied(replace(read.member, wallet=change.state), change.entries, replayed=False)
            )
        if updates:
            result = await self._c.bulk_write(updates, ordered=False)
            if result.matched_count != len(updates):
                ours = await self._written_by(tenant, batch, written)
                unsettled += [a.member.id for a in written if a.member.id not in ours]
                written = [a for a in written if a.member.id in ours]
                journals = {member_id: journals[member_id] for member_id in ours}
            await self._write_journals(tenant, journals)
            await self._mark_synced(tenant, batch, [a.member.id for a in written if a.entries])
            settled += written
        if synced:
            await self._c.bulk_write(synced, ordered=False)
        return BatchApplied(tuple(settled), tuple(unsettled))
