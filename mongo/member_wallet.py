"""The wallet write path of the members repository: one operation or a queue of them decided
against the wallet read and written in one conditional update on its `wallet.seq` (retried,
re-read and re-decided when another write won), with the member's standing from an order in
the same update, and the journal copied to the ledger before it is marked synced."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bson import ObjectId

from loyalty.errors import DomainError, ErrorCode
from loyalty.members import Member
from loyalty.ports import (
    Applied,
    BatchApplied,
    MemberRead,
    Standing,
    StandingChange,
    WalletOperation,
)
from mongo.codec import object_id
from mongo.member_ledger import MemberLedger
from mongo.standing import tier_state_doc
from mongo.wallet_batches import WalletBatches
from mongo.wallet_locks import WalletLocks
from mongo.wallet_queue import Queued, WalletQueues, decide
from mongo.wallets import SYNCED, entry_doc, wallet_doc

# Optimistic retries under contention on one wallet; each retry re-reads and re-decides, so
# a concurrent redemption of the last points fails cleanly instead of overdrawing.
MAX_ATTEMPTS = 64


async def back_off(attempt: int) -> None:
    await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))


def _add_standing(
    query: dict[str, Any], update: dict[str, Any], member: Member, extra: StandingChange
) -> None:
    """The tier is saved only over the version read, so that two evaluations racing (two orders
    at once, an order and the scheduler) cannot both announce the same change."""
    fields = update["$set"]
    if extra.tier.version != member.tier.version:
        version = member.tier.version
        query["tier_status.version"] = version if version else {"$in": [None, 0]}
        fields["tier_status"] = tier_state_doc(extra.tier)
    fields["segment"] = extra.segment.value
    fields["segment_review_at"] = extra.segment_review_at
    if extra.badges is not None:
        fields["badges"] = sorted(extra.badges)
    update["$min"] = {"first_order_at": extra.order_at}
    update["$max"] = {"last_order_at": extra.order_at, "last_order_or_join_at": extra.order_at}


def with_standing(member: Member, extra: StandingChange | None) -> Member:
    """The member as the update that wrote `extra` left it."""
    if extra is None:
        return member
    at = extra.order_at
    first, last = member.first_order_at, member.last_order_at
    return replace(
        member,
        tier=extra.tier,
        segment=extra.segment,
        first_order_at=at if first is None else min(first, at),
        last_order_at=at if last is None else max(last, at),
    )


class MemberWallet(MemberLedger):
    """Mixed into MongoMembers, whose collections, queues and reads these are."""

    _c: Any
    _queues: WalletQueues
    _turns: WalletLocks
    _batches: WalletBatches

    async def _read(self, oid: ObjectId | None, tenant: str) -> MemberRead:
        raise NotImplementedError

    async def apply(
        self,
        tenant: str,
        member_id: str,
        op_id: str,
        operation: WalletOperation,
        *,
        maybe_applied: bool = True,
        read: MemberRead | None = None,
        standing: Standing | None = None,
    ) -> Applied:
        """Applies `operation` once per `op_id`, however old a retry is.

        Operations on one wallet arriving together are decided in turn and written in one
        conditional update (mongo/wallet_queue.py, `_write_batch`); one that brings its own
        read or standing is written alone (`_apply_alone`).

        Before deciding, any journal the previous write left unsynced is copied to the ledger,
        so that the ledger's operation index (tenant_member_op) is complete up to `wallet.seq`
        and answers "was this operation applied?" durably. `maybe_applied=False` skips that
        look-up; only callers that just created the operation's own unique record (a new
        order, a fresh idempotency claim) may pass it.

        `read` serves as the first attempt's read. `standing` (an order's tier, segment and
        dates) is written in the same conditional update as the change, or on its own when
        the operation was applied before or changes nothing."""
        if read is None and standing is None:
            return await self._queues.submit(tenant, member_id, op_id, operation, maybe_applied)
        async with self._turns.turn(tenant, member_id):
            return await self._apply_alone(
                tenant, member_id, op_id, operation, maybe_applied, read, standing
            )

    async def _apply_alone(
        self,
        tenant: str,
        member_id: str,
        op_id: str,
        operation: WalletOperation,
        maybe_applied: bool,
        read: MemberRead | None,
        standing: Standing | None,
    ) -> Applied:
        oid = object_id(member_id)
        for attempt in range(MAX_ATTEMPTS):
            current = read if attempt == 0 and read is not None else await self._read(oid, tenant)
            state = current.member.wallet
            unsynced = [entry_doc(tenant, member_id, e) for e in current.unsynced]
            await self._write_entries(tenant, member_id, unsynced)
            extra = await standing(current.member) if standing is not None else None
            if op_id in state.recent_ops or maybe_applied:
                entries = await self._entries_for(tenant, member_id, op_id)
                if entries:
                    member = await self._finish(oid, tenant, current, extra)
                    if member is not None:
                        return Applied(member, entries, replayed=True)
                    await back_off(attempt)
                    continue
            change = operation(state)
            if not change.entries and change.state.lots == state.lots:
                member = await self._finish(oid, tenant, current, extra)
                if member is not None:
                    return Applied(member, (), replayed=False)
                await back_off(attempt)
                continue
            # Entries left unsynced by an earlier write were copied above: the new journal
            # holds only this change's entries.
            journal = [entry_doc(tenant, member_id, e) for e in change.entries]
            query: dict[str, Any] = {"_id": oid, "tenant": tenant, "wallet.seq": state.seq}
            update: dict[str, Any] = {
                "$set": {"wallet": wallet_doc(change.state, journal, state.seq)}
            }
            if extra is not None:
                _add_standing(query, update, current.member, extra)
            result = await self._c.update_one(query, update)
            if result.matched_count == 1:
                member = replace(with_standing(current.member, extra), wallet=change.state)
                if journal:
                    await self._write_entries(tenant, member_id, journal)
                    await self._mark_synced(oid, tenant, change.state.seq)
                return Applied(member, change.entries, replayed=False)
            await back_off(attempt)
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def _write_batch(self, tenant: str, member_id: str, batch: list[Queued]) -> None:
        async with self._turns.turn(tenant, member_id):
            await self._write_batch_in_turn(tenant, member_id, batch)

    async def _write_batch_in_turn(self, tenant: str, member_id: str, batch: list[Queued]) -> None:
        """`_apply_alone` for many operations: one read, one ledger look-up, one conditional
        update; lost to another process's write, the whole batch reads and decides again."""
        oid = object_id(member_id)
        for attempt in range(MAX_ATTEMPTS):
            current = await self._read(oid, tenant)
            state = current.member.wallet
            unsynced = [entry_doc(tenant, member_id, e) for e in current.unsynced]
            await self._write_entries(tenant, member_id, unsynced)
            asked = [q.op_id for q in batch if q.op_id in state.recent_ops or q.maybe_applied]
            decided = decide(
                current.member, batch, await self._entries_by_op(tenant, member_id, asked)
            )
            if not decided.changed:
                await self._finish(oid, tenant, current, None)
                for queued, outcome in decided.outcomes:
                    queued.settle(outcome)
                return
            # Entries left unsynced by an earlier write were copied above: the new journal
            # holds only this batch's entries.
            journal = [entry_doc(tenant, member_id, e) for e in decided.entries]
            result = await self._c.update_one(
                {"_id": oid, "tenant": tenant, "wallet.seq": state.seq},
                {"$set": {"wallet": wallet_doc(decided.member.wallet, journal, state.seq)}},
            )
            if result.matched_count == 1:
                await self._write_entries(tenant, member_id, journal)
                await self._mark_synced(oid, tenant, decided.member.wallet.seq)
                for queued, outcome in decided.outcomes:
                    queued.settle(outcome)
                return
            await back_off(attempt)
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def apply_many(
        self, tenant: str, op_id: str, work: Sequence[tuple[MemberRead, WalletOperation]]
    ) -> BatchApplied:
        """See mongo/wallet_batches.py."""
        return await self._batches.apply_many(tenant, op_id, work)

    async def save_standing(
        self, tenant: str, member_id: str, standing: Standing, *, read: MemberRead | None = None
    ) -> Member:
        """An order's standing without a wallet change (an order earning nothing)."""
        oid = object_id(member_id)
        for attempt in range(MAX_ATTEMPTS):
            current = read if attempt == 0 and read is not None else await self._read(oid, tenant)
            member = await self._finish(
                oid, tenant, replace(current, unsynced=()), await standing(current.member)
            )
            if member is not None:
                return member
            await back_off(attempt)
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def _finish(
        self, oid: ObjectId | None, tenant: str, current: MemberRead, extra: StandingChange | None
    ) -> Member | None:
        """Without a wallet change: marks the journal the read found (copied by the caller) as
        synced, and writes the standing, in one update. None when the standing lost a race
        (read again and decide again)."""
        seq = current.member.wallet.seq
        if extra is None:
            if current.unsynced:
                await self._mark_synced(oid, tenant, seq)
            return current.member
        query: dict[str, Any] = {"_id": oid, "tenant": tenant}
        update: dict[str, Any] = {"$set": {}}
        if current.unsynced:
            query["wallet.seq"] = seq
            update["$set"] |= {"wallet.synced_seq": seq, "wallet.journal": [], **SYNCED}
        _add_standing(query, update, current.member, extra)
        result = await self._c.update_one(query, update)
        if result.matched_count != 1:
            return None
        return with_standing(current.member, extra)
