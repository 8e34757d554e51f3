"""Members and their wallets."""

from __future__ import annotations

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
    MemberRead,
)
from loyalty.segments import Segment
from loyalty.tiers import TierState
from loyalty.usecases.members import REFERRAL_CODE_LENGTH
from mongo.codec import object_id, utc, utc_or_none
from mongo.leaderboard_counters import LeaderboardCounters, ZoneOf, zones_of
from mongo.member_batches import enrolled, insert_new
from mongo.member_wallet import MAX_ATTEMPTS, MemberWallet, back_off
from mongo.standing import tier_state_doc, tier_state_from
from mongo.tenants import MongoTenants
from mongo.wallet_batches import WalletBatches
from mongo.wallet_locks import WalletLocks
from mongo.wallet_queue import WalletQueues
from mongo.wallets import (
    empty_wallet_doc,
    entry_from,
    unsynced_journal,
    wallet_from,
)

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


class MongoMembers(MemberWallet):
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
            await back_off(attempt)
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
