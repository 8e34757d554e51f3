"""Members and their wallets."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bson import ObjectId
from pymongo.errors import DuplicateKeyError

from loyalty.errors import DomainError, ErrorCode
from loyalty.member_search import search_keys
from loyalty.members import Member, new_code
from loyalty.ports import (
    Applied,
    BatchApplied,
    MemberRead,
    Standing,
    StandingChange,
    WalletOperation,
)
from loyalty.segments import Segment
from loyalty.tiers import TierState
from loyalty.usecases.members import REFERRAL_CODE_LENGTH
from mongo.codec import object_id, utc, utc_or_none
from mongo.leaderboard_counters import LeaderboardCounters, ZoneOf, zones_of
from mongo.member_batches import enrolled, insert_new
from mongo.member_ledger import MemberLedger
from mongo.standing import tier_state_doc, tier_state_from
from mongo.tenants import MongoTenants
from mongo.wallet_batches import WalletBatches
from mongo.wallet_locks import WalletLocks
from mongo.wallet_queue import Queued, WalletQueues, decide
from mongo.wallets import (
    SYNCED,
    empty_wallet_doc,
    entry_doc,
    entry_from,
    unsynced_journal,
    wallet_doc,
    wallet_from,
)

# Optimistic retries under contention on one wallet; each retry re-reads and re-decides, so
# a concurrent redemption of the last points fails cleanly instead of overdrawing.
MAX_ATTEMPTS = 64


CONTACT_FIELDS = ("display_name", "email", "phone")


def member_from(doc: dict[str, Any]) -> Member:
    return Member(
        id=str(doc["_id"]),
        tenant=doc["tenant"],
        external_id=doc["external_id"],
        locale=doc["locale"],
        joined_at=utc(doc["joined_at"]),
        referral_code=doc["referral_code"],
        display_name=doc.get("display_name"),
        email=doc.get("email"),
        phone=doc.get("phone"),
        wallet=wallet_from(doc.get("wallet")),
        first_order_at=utc_or_none(doc.get("first_order_at")),
        last_order_at=utc_or_none(doc.get("last_order_at")),
        tier=tier_state_from(doc.get("tier_status")),
        segment=Segment(doc.get("segment") or Segment.NEW.value),
        referred_by=doc.get("referred_by"),
        leaderboard_opt_out=bool(doc.get("leaderboard_opt_out")),
        birthday=date.fromisoformat(doc["birthday"]) if doc.get("birthday") else None,
    )


def member_read_from(doc: dict[str, Any]) -> MemberRead:
    badges = doc.get("badges")
    return MemberRead(
        member=member_from(doc),
        unsynced=tuple(entry_from(e) for e in unsynced_journal(doc.get("wallet") or {})),
        badges=None if badges is None else frozenset(badges),
    )


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


def new_member_doc(member: Member) -> dict[str, Any]:
    """A member as enrolment stores them: an empty wallet, the base tier, segment NEW, and
    their birthday only when known (imports carry it; the birthday job finds members by its
    month and day, index tenant_birthday_md)."""
    doc = {
        "_id": ObjectId(),
        "tenant": member.tenant,
        "external_id": member.external_id,
        "locale": member.locale,
        "joined_at": member.joined_at,
        "referral_code": member.referral_code,
        "display_name": member.display_name,
        "email": member.email,
        "phone": member.phone,
        "wallet": empty_wallet_doc(),
        "tier_status": tier_state_doc(TierState()),
        "segment": Segment.NEW.value,
        "referred_by": None,
        "badges": [],
        # Member list: prefix search, and "inactive since" (no order since then).
        "search_keys": search_keys(
            display_name=member.display_name,
            email=member.email,
            phone=member.phone,
            external_id=member.external_id,
        ),
        "last_order_or_join_at": member.joined_at,
    }
    if member.birthday is not None:
        birthday = member.birthday.isoformat()
        doc |= {"birthday": birthday, "birthday_md": birthday[5:]}
    return doc


async def _back_off(attempt: int) -> None:
    await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))


# A member read to answer a request (every authenticated request makes one) brings exactly
# what `member_from` decodes, nothing a wallet write or an index needs: no journal, recent
# operation ids, search keys, expiry dates, badges or due dates. Every value read costs its
# decoding (and on memory:// a copy). Writes read through `read`/`_read`, whole.
FOR_READING = dict.fromkeys(
    (
        "tenant",
        "external_id",
        "locale",
        "joined_at",
        "referral_code",
        *CONTACT_FIELDS,
        "wallet.seq",
        "wallet.lots",
        "wallet.balance",
        "wallet.pending",
        "wallet.lifetime_earned",
        "wallet.holds",
        "wallet.held",
        "first_order_at",
        "last_order_at",
        "tier_status",
        "segment",
        "referred_by",
        "leaderboard_opt_out",
        "birthday",
    ),
    1,
)


class MongoMembers(MemberLedger):
    def __init__(self, db: Any, zone_of: ZoneOf | None = None) -> None:
        self._c = db["members"]
        self._ledger = db["ledger"]
        self._counters = LeaderboardCounters(db, zone_of or zones_of(MongoTenants(db)))
        self._queues = WalletQueues(self._write_batch)
        self._turns = WalletLocks()
        self._batches = WalletBatches(self._c, self._ledger, self._counters)

    async def get(self, tenant: str, member_id: str) -> Member | None:
        oid = object_id(member_id)
        if oid is None:
            return None
        doc = await self._c.find_one({"_id": oid, "tenant": tenant}, FOR_READING)
        return member_from(doc) if doc else None

    async def get_by_external_id(self, tenant: str, external_id: str) -> Member | None:
        doc = await self._c.find_one({"tenant": tenant, "external_id": external_id}, FOR_READING)
        return member_from(doc) if doc else None

    async def enrol(self, member: Member) -> tuple[Member, bool]:
        code = member.referral_code
        for _ in range(8):
            doc = new_member_doc(replace(member, referral_code=code))
            try:
                await self._c.insert_one(doc)
                return member_from(doc), True
            except DuplicateKeyError:
                existing = await self.get_by_external_id(member.tenant, member.external_id)
                if existing is not None:
                    return existing, False
                code = new_code(REFERRAL_CODE_LENGTH)  # the referral code collided
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def enrol_many(
        self, tenant: str, members: Sequence[Member]
    ) -> list[tuple[MemberRead, bool]]:
        """See mongo/member_batches.py; read whole, as a wallet write needs them."""
        docs = [new_member_doc(member) for member in members]
        await insert_new(self._c, docs)
        reads, missing = await enrolled(self._c, tenant, members, docs, member_read_from)
        for member in missing:
            stored, created = await self.enrol(member)  # with fresh referral codes
            read = await self.read(tenant, stored.id)
            if read is not None:
                reads.append((read, created))
        return reads

    async def update_profile(
        self, tenant: str, member_id: str, changes: Mapping[str, str | None]
    ) -> Member | None:
        """The search keys are recomputed from the merged profile; the update is conditional
        on the contact fields read, so a concurrent profile change cannot leave stale keys."""
        oid = object_id(member_id)
        if oid is None:
            return None
        if not changes:
            return await self.get(tenant, member_id)
        if "birthday" in changes:
            # The birthday job finds members by month and day (index tenant_birthday_md).
            birthday = changes["birthday"]
            changes = {**changes, "birthday_md": birthday[5:] if birthday else None}
        for attempt in range(MAX_ATTEMPTS):
            doc = await self._c.find_one({"_id": oid, "tenant": tenant})
            if doc is None:
                return None
            merged = {**doc, **changes}
            read = {name: doc.get(name) for name in CONTACT_FIELDS}
            keys = search_keys(
                display_name=merged.get("display_name"),
                email=merged.get("email"),
                phone=merged.get("phone"),
                external_id=doc["external_id"],
            )
            result = await self._c.update_one(
                {"_id": oid, "tenant": tenant, **read},
                {"$set": {**changes, "search_keys": keys}},
            )
            if result.matched_count == 1:
                return await self.get(tenant, member_id)
            await _back_off(attempt)
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def read(self, tenant: str, member_id: str) -> MemberRead | None:
        oid = object_id(member_id)
        if oid is None:
            return None
        doc = await self._c.find_one({"_id": oid, "tenant": tenant})
        return member_read_from(doc) if doc else None

    async def read_by_external_id(self, tenant: str, external_id: str) -> MemberRead | None:
        doc = await self._c.find_one({"tenant": tenant, "external_id": external_id})
        return member_read_from(doc) if doc else None

    async def _read(self, oid: ObjectId | None, tenant: str) -> MemberRead:
        doc = await self._c.find_one({"_id": oid, "tenant": tenant})
        if doc is None:
            raise DomainError(ErrorCode.MEMBER_NOT_FOUND)
        return member_read_from(doc)

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
                    await _back_off(attempt)
                    continue
            change = operation(state)
            if not change.entries and change.state.lots == state.lots:
                member = await self._finish(oid, tenant, current, extra)
                if member is not None:
                    return Applied(member, (), replayed=False)
                await _back_off(attempt)
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
            await _back_off(attempt)
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
            await _back_off(attempt)
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
            await _back_off(attempt)
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

    async def due_wallets(
        self, tenant: str, now: datetime, limit: int, after: tuple[datetime, str] | None
    ) -> list[tuple[tuple[datetime, str], str]]:
        """Wallets due for settlement in (due time, id) order, strictly after `after`
        (index tenant_wallet_next_due_at_id). Each comes with its key for the next batch."""
        query: dict[str, Any] = {"tenant": tenant, "wallet.next_due_at": {"$lte": now}}
        if after is not None:
            due_at, member_id = after
            query["$or"] = [
                {"wallet.next_due_at": {"$gt": due_at}},
                {"wallet.next_due_at": due_at, "_id": {"$gt": object_id(member_id)}},
            ]
        cursor = (
            self._c.find(query, {"_id": 1, "wallet.next_due_at": 1})
            .sort([("wallet.next_due_at", 1), ("_id", 1)])
            .limit(limit)
        )
        found = []
        for doc in await cursor.to_list(None):
            key = (utc(doc["wallet"]["next_due_at"]), str(doc["_id"]))
            found.append((key, str(doc["_id"])))
        return found
