"""Where a member's personal data lives, for erasure and export (see loyalty/privacy.py).

Every collection holding something about a member is named here once; a collection added
later that holds personal data belongs in `erase` and `export` too."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from loyalty.notifications import NotificationStatus
from loyalty.privacy import Erasure
from mongo.audit import jsonable
from mongo.codec import object_id, utc
from mongo.transfers import MongoTransfers

# Fields of the member document that are personal data, cleared on erasure.
PERSONAL_FIELDS = ("display_name", "email", "phone", "birthday", "birthday_md", "birth_date")
# A member's documents, by collection and the field naming the member (each indexed with the
# tenant first: devices tenant_member, outbox tenant_member_created_at_id, orders
# tenant_member_placed_at_id, redemptions tenant_member_created_at_id, activities
# tenant_member_activity, badge_awards tenant_member_earned_at, ledger tenant_member_seq_unique).
MEMBER_COLLECTIONS = (
    ("ledger", "seq"),
    ("orders", "placed_at"),
    ("redemptions", "created_at"),
    ("activities", "activity"),
    ("badge_awards", "earned_at"),
    ("devices", "registered_at"),
    ("outbox", "created_at"),
)
FINISHED_OUTBOX_AFTER = timedelta(0)


def _erasure_from(doc: dict[str, Any]) -> Erasure:
    return Erasure(
        tenant=doc["tenant"],
        identity=doc["identity"],
        pseudonym=doc["pseudonym"],
        erased_at=utc(doc["erased_at"]),
        member_id=doc.get("member_id"),
        done=bool(doc.get("done")),
    )


class MongoPersonalData:
    def __init__(self, db: Any) -> None:
        self._db = db
        self._erasures = db["erasures"]

    async def begin_erasure(self, erasure: Erasure) -> Erasure:
        doc = {
            "_id": f"{erasure.tenant}:{erasure.identity}",
            "tenant": erasure.tenant,
            "identity": erasure.identity,
            "pseudonym": erasure.pseudonym,
            "erased_at": erasure.erased_at,
            "member_id": erasure.member_id,
            "done": False,
        }
        try:
            await self._erasures.insert_one(doc)
        except DuplicateKeyError:
            found = await self.erasure(erasure.tenant, erasure.identity)
            assert found is not None
            return found
        return erasure

    async def erasure(self, tenant: str, identity: str) -> Erasure | None:
        doc = await self._erasures.find_one({"_id": f"{tenant}:{identity}"})
        return _erasure_from(doc) if doc else None

    async def finish_erasure(self, tenant: str, identity: str) -> None:
        # The link to the pseudonymous wallet goes: the tombstone only refuses the identity.
        await self._erasures.update_one(
            {"_id": f"{tenant}:{identity}"}, {"$set": {"done": True, "member_id": None}}
        )

    async def forget_erasure(self, tenant: str, identity: str) -> None:
        await self._erasures.delete_one({"_id": f"{tenant}:{identity}", "done": True})

    async def erase(self, erasure: Erasure, member_id: str, now: datetime) -> None:
        tenant, db = erasure.tenant, self._db
        oid = object_id(member_id)
        member = await db["members"].find_one({"_id": oid, "tenant": tenant})
        if member is not None and member["external_id"] != erasure.pseudonym:
            external_id = member["external_id"]
            # The sign-up claim is keyed by the customer id (loyalty/usecases/members.py).
            await db["idempotency"].delete_one({"_id": f"{tenant}:signup:{external_id}"})
        await db["members"].update_one(
            {"_id": oid, "tenant": tenant},
            {
                "$set": {
                    "external_id": erasure.pseudonym,
                    "search_keys": [],
                    "erased_at": erasure.erased_at,
                    **{name: None for name in PERSONAL_FIELDS},
                }
            },
        )
        await db["devices"].delete_many({"tenant": tenant, "member_id": member_id})
        await db["notification_prefs"].delete_one({"_id": f"{tenant}:{member_id}"})
        await db["leaderboard_entries"].delete_many({"tenant": tenant, "member_id": member_id})
        await db["outbox"].update_many(
            {"tenant": tenant, "member_id": member_id},
            {"$set": {"title": "", "body": "", "data": {}, "retry_tokens": None}},
        )
        await db["outbox"].update_many(
            {
                "tenant": tenant,
                "member_id": member_id,
                "status": NotificationStatus.PENDING.value,
            },
            {
                "$set": {
                    "status": NotificationStatus.SKIPPED.value,
                    "reason": "erased",
                    "finished_at": now,
                }
            },
        )
        # The merchant's own words on ledger entries may name the person; amounts stay.
        await db["ledger"].update_many(
            {"tenant": tenant, "member_id": member_id, "reason_text": {"$ne": None}},
            {"$set": {"reason_text": None}},
        )
        await db["audit_log"].update_many(
            {"tenant": tenant, "subjects": erasure.identity},
            {"$set": {"input": {"member": erasure.pseudonym}, "subjects": []}},
        )

    async def export(self, tenant: str, member_id: str) -> dict[str, Any]:
        db = self._db
        member = await db["members"].find_one({"_id": object_id(member_id), "tenant": tenant}) or {}
        wallet = member.pop("wallet", None) or {}
        held: dict[str, Any] = {
            "member": jsonable({**member, "id": member_id}),
            "wallet": jsonable(
                {k: wallet.get(k) for k in ("balance", "pending", "lifetime_earned", "lots")}
            ),
        }
        for collection, order in MEMBER_COLLECTIONS:
            cursor = db[collection].find({"tenant": tenant, "member_id": member_id})
            held[collection] = jsonable(await cursor.sort(order, ASCENDING).to_list(None))
        prefs = await db["notification_prefs"].find_one({"_id": f"{tenant}:{member_id}"})
        held["notificationPreferences"] = jsonable(prefs) if prefs else None
        held["referrals"] = jsonable(
            await db["referrals"].find_one({"_id": f"{tenant}:{member_id}"})
        )
        held["referred"] = jsonable(
            await db["referrals"].find({"tenant": tenant, "referrer_id": member_id}).to_list(None)
        )
        held["transfers"] = jsonable(await MongoTransfers(db).for_member(tenant, member_id))
        held["leaderboard"] = jsonable(
            await db["leaderboard_entries"]
            .find({"tenant": tenant, "member_id": member_id})
            .to_list(None)
        )
        return held
