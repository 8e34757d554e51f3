"""The push benches' members: points expiring in 7 days and one Android device each, half of
them reading Arabic. Written straight to the collections in chunks (the bench's own memory
stays small; seeding is never what a bench times)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bson import ObjectId

from loyalty.clock import FrozenClock
from loyalty.lots import Lot, WalletState
from loyalty.tenants import Tenant
from mongo.wallets import wallet_doc

SEED_CHUNK = 5000


async def seed_expiring_members(db: Any, tenant: Tenant, clock: FrozenClock, members: int) -> None:
    """`members` members with 40-46 points expiring in 7 days and one Android device each."""
    now = clock.now()
    expires = tenant.program.expires_at(now - timedelta(days=358)) or now
    for first in range(0, members, SEED_CHUNK):
        docs, devices = [], []
        for index in range(first, min(members, first + SEED_CHUNK)):
            oid = ObjectId()
            points = 40 + index % 7
            lot = Lot(f"op{index}#1", points, points, now, now, expires, True, "op")
            state = WalletState(seq=1, lots=(lot,), balance=points, lifetime_earned=points)
            docs.append(
                {
                    "_id": oid,
                    "tenant": tenant.slug,
                    "external_id": f"m{index}",
                    "locale": "ar" if index % 2 else "en",
                    "joined_at": now,
                    "referral_code": f"R{index:09d}",
                    "wallet": wallet_doc(state, [], 1),
                }
            )
            devices.append(
                {
                    "_id": f"{tenant.slug}:tok-{index}",
                    "tenant": tenant.slug,
                    "member_id": str(oid),
                    "token": f"tok-{index}",
                    "platform": "ANDROID",
                    "registered_at": now,
                }
            )
        await db["members"].insert_many(docs, ordered=False)
        await db["devices"].insert_many(devices, ordered=False)
