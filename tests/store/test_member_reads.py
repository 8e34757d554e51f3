"""A member read to answer a request (mongo/members.py FOR_READING) brings every field the
member model holds, and leaves out what only writes and indexes need."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from bson import ObjectId

from loyalty.lots import HeldPart, Hold, Lot, WalletState
from loyalty.member_events import MemberEventKind
from loyalty.members import Member
from loyalty.segments import Segment
from loyalty.tiers import TierNotice, TierState, Trial
from mongo import members as member_store
from mongo.client import Database
from mongo.members import MongoMembers, new_member_doc
from mongo.standing import tier_state_doc
from mongo.wallets import wallet_doc

AT = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)


def everything_set(member_id: str) -> Member:
    """A member with a value in every field the model has."""
    lot = Lot(
        id="order:o-1#1",
        points=300,
        remaining=120,
        earned_at=AT,
        available_at=AT + timedelta(days=14),
        expires_at=AT + timedelta(days=180),
        released=True,
        op_id="order:o-1",
        order_id="o-1",
    )
    part = HeldPart(
        lot_id="order:o-1#1",
        points=50,
        earned_at=AT,
        expires_at=AT + timedelta(days=9),
        order_id="o-1",
    )
    return Member(
        id=member_id,
        tenant="acme",
        external_id="c-1",
        locale="ar",
        joined_at=AT - timedelta(days=400),
        referral_code="ABCD2345",
        display_name="Mona",
        email="mona@example.com",
        phone="+966500000000",
        wallet=WalletState(
            seq=7,
            lots=(lot,),
            balance=120,
            pending=0,
            lifetime_earned=300,
            holds=(Hold(id="h-1", points=50, expires_at=AT + timedelta(hours=1), parts=(part,)),),
            held=50,
        ),
        first_order_at=AT - timedelta(days=300),
        last_order_at=AT,
        tier=TierState(
            tier_id="gold",
            qualified_id="silver",
            qualifying_value=Decimal("1250.50"),
            version=4,
            below_since=AT - timedelta(days=3),
            review_at=AT + timedelta(days=30),
            trial=Trial("gold", AT - timedelta(days=2), AT + timedelta(days=5), True),
            last_trial_at=AT - timedelta(days=2),
            notices=(
                TierNotice(MemberEventKind.VIP_TRIAL_STARTED, "acme:4", AT, {"tier": "gold"}),
            ),
        ),
        segment=Segment.LOYAL,
        referred_by=str(ObjectId()),
        leaderboard_opt_out=True,
        birthday=date(1990, 5, 17),
    )


async def test_a_member_read_brings_every_field_and_no_write_only_one(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a stored member with every field set, a journal, recent operations and search keys
    oid = ObjectId()
    member = everything_set(str(oid))
    doc = new_member_doc(member) | {
        "_id": oid,
        "wallet": wallet_doc(member.wallet, [{"seq": 7, "points": 1}], 6),
        "tier_status": tier_state_doc(member.tier),
        "segment": member.segment.value,
        "referred_by": member.referred_by,
        "leaderboard_opt_out": True,
        "first_order_at": member.first_order_at,
        "last_order_at": member.last_order_at,
        "badges": ["b-1"],
    }
    doc["wallet"]["recent_ops"] = ["order:o-1"]
    await database.db["members"].insert_one(doc)
    decoded: list[dict[str, Any]] = []
    decode = member_store.member_from

    def recording(found: dict[str, Any]) -> Member:
        decoded.append(found)
        return decode(found)

    monkeypatch.setattr(member_store, "member_from", recording)
    # when it is read by id and by external id
    by_id = await MongoMembers(database.db).get("acme", str(oid))
    by_external_id = await MongoMembers(database.db).get_by_external_id("acme", "c-1")
    # then every field came back (recent operations are the write path's)
    assert by_id == by_external_id == replace(member, wallet=replace(member.wallet, recent_ops=()))
    # and what only writes or indexes use stayed in the store
    left_out = {"search_keys", "badges", "last_order_or_join_at", "birthday_md"}
    assert [set(found) & left_out for found in decoded] == [set(), set()]
    assert [sorted(found["wallet"]) for found in decoded] == [
        ["balance", "held", "holds", "lifetime_earned", "lots", "pending", "seq"]
    ] * 2
