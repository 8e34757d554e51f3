"""Every query the repositories make is served by one of these named indexes.

Created idempotently at startup; never dropped automatically (an index removed from this list
stays until an operator drops it).
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

INDEXES: dict[str, list[IndexModel]] = {
    "tenants": [],  # _id is the slug
    "api_keys": [],  # _id is the key hash
    "members": [
        IndexModel(
            [("tenant", ASCENDING), ("external_id", ASCENDING)],
            name="tenant_external_id_unique",
            unique=True,
        ),
        IndexModel(
            [("tenant", ASCENDING), ("referral_code", ASCENDING)],
            name="tenant_referral_code_unique",
            unique=True,
        ),
        IndexModel(
            [("tenant", ASCENDING), ("wallet.next_due_at", ASCENDING)],
            name="tenant_wallet_next_due_at",
        ),
        IndexModel(
            [("tenant", ASCENDING), ("last_order_at", ASCENDING)],
            name="tenant_last_order_at",
        ),
        # Notifications: expiring-points reminders and campaign audiences.
        IndexModel(
            [("tenant", ASCENDING), ("wallet.expiry_dates", ASCENDING)],
            name="tenant_wallet_expiry_dates",
        ),
        IndexModel([("tenant", ASCENDING), ("_id", ASCENDING)], name="tenant_id"),
        IndexModel(
            [("tenant", ASCENDING), ("segment", ASCENDING), ("_id", ASCENDING)],
            name="tenant_segment_id",
        ),
        IndexModel(
            [("tenant", ASCENDING), ("tier_status.tier_id", ASCENDING), ("_id", ASCENDING)],
            name="tenant_tier_id",
        ),
    ],
    "devices": [  # _id is tenant:token
        IndexModel([("tenant", ASCENDING), ("member_id", ASCENDING)], name="tenant_member"),
    ],
    "notification_prefs": [],  # _id is tenant:member
    "outbox": [  # _id is tenant:dedupe key
        IndexModel(
            [("tenant", ASCENDING), ("status", ASCENDING), ("not_before", ASCENDING)],
            name="tenant_status_not_before",
        ),
        IndexModel([("tenant", ASCENDING), ("claim", ASCENDING)], name="tenant_claim"),
        IndexModel(
            [("tenant", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)],
            name="tenant_created_at_id",
        ),
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("member_id", ASCENDING),
                ("created_at", DESCENDING),
                ("_id", DESCENDING),
            ],
            name="tenant_member_created_at_id",
        ),
    ],
    "notification_caps": [],  # _id is tenant:member:local day
    "campaigns": [  # _id is tenant:campaign id
        IndexModel(
            [("tenant", ASCENDING), ("status", ASCENDING), ("send_at", ASCENDING)],
            name="tenant_status_send_at",
        ),
    ],
    "job_cursors": [],  # _id is tenant:job
    "leases": [],  # _id is the job name
    "member_events": [
        IndexModel(
            [("tenant", ASCENDING), ("kind", ASCENDING), ("occurred_at", ASCENDING)],
            name="tenant_kind_occurred_at",
        ),
    ],
    "ledger": [
        IndexModel(
            [("tenant", ASCENDING), ("member_id", ASCENDING), ("seq", DESCENDING)],
            name="tenant_member_seq_unique",
            unique=True,
        ),
        IndexModel(
            [("tenant", ASCENDING), ("member_id", ASCENDING), ("op_id", ASCENDING)],
            name="tenant_member_op",
        ),
        IndexModel([("tenant", ASCENDING), ("created_at", ASCENDING)], name="tenant_created_at"),
    ],
    "orders": [
        IndexModel(
            [("tenant", ASCENDING), ("order_id", ASCENDING)],
            name="tenant_order_id_unique",
            unique=True,
        ),
        IndexModel(
            [("tenant", ASCENDING), ("member_id", ASCENDING), ("placed_at", DESCENDING)],
            name="tenant_member_placed_at",
        ),
    ],
    "rewards": [
        IndexModel([("tenant", ASCENDING), ("created_at", ASCENDING)], name="tenant_created_at"),
    ],
    "redemptions": [
        IndexModel(
            [("tenant", ASCENDING), ("coupon_code", ASCENDING)],
            name="tenant_coupon_code_unique",
            unique=True,
        ),
        IndexModel(
            [("tenant", ASCENDING), ("op_id", ASCENDING)], name="tenant_op_id_unique", unique=True
        ),
    ],
    "idempotency": [],  # _id is tenant:scope:key
    "activities": [],  # _id is tenant:member:activity:key
    "activity_caps": [],  # _id is tenant:counter
}


async def ensure_indexes(db: Any) -> None:
    for collection, models in INDEXES.items():
        if models:
            await db[collection].create_indexes(models)
