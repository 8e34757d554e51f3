"""Members and their wallets."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from pymongo import DESCENDING
from pymongo.errors import DuplicateKeyError

from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import LedgerEntry
from loyalty.member_search import search_keys
from loyalty.members import Member, new_code
from loyalty.ports import Applied, WalletOperation
from loyalty.segments import Segment
from loyalty.tiers import TierState
from loyalty.usecases.members import REFERRAL_CODE_LENGTH
from mongo.codec import utc, utc_or_none
from mongo.standing import tier_state_doc, tier_state_from
from mongo.wallets import (
    empty_wallet_doc,
    entry_doc,
    entry_from,
    wallet_doc,
    wallet_from,
    write_entries,
)

# Optimistic retries under contention on one wallet; each retry re-reads and re-decides, so
# a concurrent redemption of the last points fails cleanly instead of overdrawing.
MAX_ATTEMPTS = 64


CONTACT_FIELDS = ("display_name", "email", "phone")


def _object_id(member_id: str) -> ObjectId | None:
    try:
        return ObjectId(member_id)
    except (InvalidId, TypeError):
        return None


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
    )


class MongoMembers:
    def __init__(self, db: Any) -> None:
        self._c = db["members"]
        self._ledger = db["ledger"]

    async def get(self, tenant: str, member_id: str) -> Member | None:
        oid = _object_id(member_id)
        if oid is None:
            return None
        doc = await self._c.find_one({"_id": oid, "tenant": tenant})
        return member_from(doc) if doc else None

    async def get_by_external_id(self, tenant: str, external_id: str) -> Member | None:
        doc = await self._c.find_one({"tenant": tenant, "external_id": external_id})
        return member_from(doc) if doc else None

    async def enrol(self, member: Member) -> tuple[Member, bool]:
        code = member.referral_code
        for _ in range(8):
            doc = {
                "_id": ObjectId(),
                "tenant": member.tenant,
                "external_id": member.external_id,
                "locale": member.locale,
                "joined_at": member.joined_at,
                "referral_code": code,
                "display_name": member.display_name,
                "email": member.email,
                "phone": member.phone,
                "wallet": empty_wallet_doc(),
                "tier_status": tier_state_doc(TierState()),
                "segment": Segment.NEW.value,
                "referred_by": None,
                # Member list: prefix search, and "inactive since" (no order since then).
                "search_keys": search_keys(
                    display_name=member.display_name,
                    email=member.email,
                    phone=member.phone,
                    external_id=member.external_id,
                ),
                "last_order_or_join_at": member.joined_at,
            }
            try:
                await self._c.insert_one(doc)
                return member_from(doc), True
            except DuplicateKeyError:
                existing = await self.get_by_external_id(member.tenant, member.external_id)
                if existing is not None:
                    return existing, False
                code = new_code(REFERRAL_CODE_LENGTH)  # the referral code collided
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def update_profile(
        self, tenant: str, member_id: str, changes: Mapping[str, str | None]
    ) -> Member | None:
        """The search keys are recomputed from the merged profile; the update is conditional
        on the contact fields read, so a concurrent profile change cannot leave stale keys."""
        oid = _object_id(member_id)
        if oid is None:
            return None
        if not changes:
            return await self.get(tenant, member_id)
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
            await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def apply(
        self, tenant: str, member_id: str, op_id: str, operation: WalletOperation
    ) -> Applied:
        oid = _object_id(member_id)
        for attempt in range(MAX_ATTEMPTS):
            doc = await self._c.find_one({"_id": oid, "tenant": tenant})
            if doc is None:
                raise DomainError(ErrorCode.MEMBER_NOT_FOUND)
            wallet = doc.get("wallet") or empty_wallet_doc()
            state = wallet_from(wallet)
            await write_entries(self._ledger, wallet.get("journal", []))
            if op_id in state.recent_ops:
                entries = await self._entries_for(tenant, member_id, op_id)
                return Applied(member_from(doc), entries, replayed=True)
            change = operation(state)
            if not change.entries:
                return Applied(member_from(doc), (), replayed=False)
            journal = [entry_doc(tenant, member_id, e) for e in change.entries]
            result = await self._c.update_one(
                {"_id": oid, "tenant": tenant, "wallet.seq": state.seq},
                {"$set": {"wallet": wallet_doc(change.state, journal, state.seq)}},
            )
            if result.matched_count == 1:
                await write_entries(self._ledger, journal)
                doc["wallet"] = wallet_doc(change.state, journal, state.seq)
                return Applied(member_from(doc), change.entries, replayed=False)
            await asyncio.sleep(random.uniform(0, 0.002 * (attempt + 1)))
        raise DomainError(ErrorCode.IN_PROGRESS)

    async def due_member_ids(self, tenant: str, now: datetime, limit: int) -> list[str]:
        cursor = self._c.find(
            {"tenant": tenant, "wallet.next_due_at": {"$lte": now}}, {"_id": 1}
        ).limit(limit)
        return [str(doc["_id"]) for doc in await cursor.to_list(None)]

    async def touch_order(self, tenant: str, member_id: str, placed_at: datetime) -> None:
        """First and last order dates ($min/$max: repeating it changes nothing)."""
        oid = _object_id(member_id)
        await self._c.update_one(
            {"_id": oid, "tenant": tenant},
            {
                "$min": {"first_order_at": placed_at},
                "$max": {"last_order_at": placed_at, "last_order_or_join_at": placed_at},
            },
        )

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
        """Newest first. Replays the journal first so that history is never missing an entry
        whose wallet change was committed."""
        oid = _object_id(member_id)
        doc = await self._c.find_one({"_id": oid, "tenant": tenant}, {"wallet.journal": 1})
        if doc is not None:
            await write_entries(self._ledger, (doc.get("wallet") or {}).get("journal", []))
        query: dict[str, Any] = {"tenant": tenant, "member_id": member_id}
        if before_seq is not None:
            query["seq"] = {"$lt": before_seq}
        cursor = self._ledger.find(query).sort("seq", DESCENDING).limit(limit)
        return [entry_from(d) for d in await cursor.to_list(None)]
