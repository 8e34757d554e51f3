"""Every query the repositories make is served by one of these named indexes.

Created idempotently at startup. Never dropped automatically, except by name from
RETIRED_INDEXES: an index this list used to declare, so that existing deployments shed it (an
index merely removed from INDEXES would stay until an operator drops it).

TTL indexes remove only finished documents: each is on a date that is set when the document
is done with (or is partial on being done). Their retention is part of the index name, so a
change of retention is a new name plus the old one retired (MongoDB refuses to re-create an
index under the same name with other options).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import OperationFailure

# How long finished documents are kept (see README, "Retention").
IDEMPOTENCY_RETENTION = timedelta(days=90)
FINISHED_OUTBOX_RETENTION = timedelta(days=30)
HANDLED_EVENT_RETENTION = timedelta(days=30)
# Store platforms retry a delivery for up to two days (Shopify 48 hours): a redelivery is
# recognised for far longer than that.
DELIVERY_RETENTION = timedelta(days=30)


def ttl(field: str, after: timedelta, **options: Any) -> IndexModel:
    """Removes a document `after` its `field` (a date), checked by the server about once a
    minute; documents without that date (not finished yet) are never removed."""
    return IndexModel(
        [(field, ASCENDING)],
        name=f"{field}_ttl_{after.days}d",
        expireAfterSeconds=int(after.total_seconds()),
        **options,
    )


# The member list's sort fields, and the equality filters that get their own index per sort.
MEMBER_SORT_FIELDS = {
    "lifetime": "wallet.lifetime_earned",
    "last_order": "last_order_at",
    "joined": "joined_at",
}
MEMBER_FILTER_FIELDS = {"segment": "segment", "tier": "tier_status.tier_id"}


def member_list_index(filter_name: str | None, sort_name: str) -> str:
    return "_".join(("list", *((filter_name,) if filter_name else ()), sort_name))


def member_list_indexes() -> list[IndexModel]:
    models = []
    for sort_name, sort_field in MEMBER_SORT_FIELDS.items():
        for filter_name in (None, *MEMBER_FILTER_FIELDS):
            keys = [("tenant", ASCENDING)]
            if filter_name is not None:
                keys.append((MEMBER_FILTER_FIELDS[filter_name], ASCENDING))
            keys += [(sort_field, DESCENDING), ("_id", DESCENDING)]
            models.append(IndexModel(keys, name=member_list_index(filter_name, sort_name)))
    # Search: a multikey index on the prefixes; results in join order only (joined_at never
    # changes, so wallet writes do not touch this index's many entries per member).
    models.append(
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("search_keys", ASCENDING),
                ("joined_at", DESCENDING),
                ("_id", DESCENDING),
            ],
            name=member_list_index("search", "joined"),
        )
    )
    return models


INDEXES: dict[str, list[IndexModel]] = {
    "tenants": [],  # _id is the slug
    "api_keys": [  # _id is the key hash
        # The admin's list of keys (apiKeys).
        IndexModel([("tenant", ASCENDING), ("created_at", ASCENDING)], name="tenant_created_at"),
    ],
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
        # Settlement works through due wallets in (due time, id) order, resuming after the
        # last one handled.
        IndexModel(
            [("tenant", ASCENDING), ("wallet.next_due_at", ASCENDING), ("_id", ASCENDING)],
            name="tenant_wallet_next_due_at_id",
        ),
        # Wallets whose last journal may not be in the ledger yet (a crash between writes):
        # only those are in this index.
        IndexModel(
            [("tenant", ASCENDING), ("wallet.unsynced_seq", ASCENDING)],
            name="tenant_wallet_unsynced",
            partialFilterExpression={"wallet.unsynced_seq": {"$gt": 0}},
        ),
        IndexModel(
            [("tenant", ASCENDING), ("tier_status.review_at", ASCENDING)],
            name="tenant_tier_review_at",
        ),
        IndexModel(
            [("tenant", ASCENDING), ("segment_review_at", ASCENDING)],
            name="tenant_segment_review_at",
        ),
        # The member list (mongo/directory.py): one index per sort, alone or after an equality
        # filter; the other filters are applied on the index scan. list_joined also serves
        # statistics (members who joined in a period) and list_last_order the win-back
        # audience (last order in a window).
        *member_list_indexes(),
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
        # Issue 11: the daily birthday job (members born on a month and day), in _id order.
        IndexModel(
            [("tenant", ASCENDING), ("birthday_md", ASCENDING), ("_id", ASCENDING)],
            name="tenant_birthday_md_id",
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
        # Rows SENT, SKIPPED or FAILED (the notification log keeps them this long).
        ttl("finished_at", FINISHED_OUTBOX_RETENTION),
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
        # A campaign's progress (campaign(id)): its rows grouped by status and reason, from
        # the index alone. Only campaign rows carry the field.
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("campaign", ASCENDING),
                ("status", ASCENDING),
                ("reason", ASCENDING),
            ],
            name="tenant_campaign_status",
            partialFilterExpression={"campaign": {"$type": "string"}},
        ),
    ],
    "notification_caps": [  # _id is tenant:member:local day
        ttl("expire_at", timedelta(0)),  # once that day is over everywhere
    ],
    "campaigns": [  # _id is tenant:campaign id
        IndexModel(
            [("tenant", ASCENDING), ("status", ASCENDING), ("send_at", ASCENDING)],
            name="tenant_status_send_at",
        ),
        # The console's list (issue 13): newest first.
        IndexModel(
            [("tenant", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)],
            name="tenant_created_at_id",
        ),
    ],
    "job_cursors": [],  # _id is tenant:job
    "referrals": [  # _id is tenant:referee
        # The scheduled payout: pending referrals whose first order's return window ended.
        IndexModel(
            [("tenant", ASCENDING), ("status", ASCENDING), ("due_at", ASCENDING)],
            name="tenant_status_due_at",
        ),
        # A referrer's own rewarded referrals (the "referral made" badge).
        IndexModel(
            [("tenant", ASCENDING), ("referrer_id", ASCENDING), ("status", ASCENDING)],
            name="tenant_referrer_status",
        ),
    ],
    "leases": [],  # _id is tenant:job (api/scheduler.py lease_key)
    # Issue 16, many processes: what each process must hear from the others
    # (mongo/change_feed.py), polled by `at` where there are no change streams; and the shared
    # rate-limit counters (mongo/rate_windows.py, _id is the caller), gone when their window is.
    "change_feed": [
        IndexModel([("at", ASCENDING)], name="at"),
        ttl("expire_at", timedelta(0)),
    ],
    "rate_windows": [ttl("expire_at", timedelta(0))],
    "member_events": [
        # Consumers read forward from their cursor (mongo/member_events.py).
        IndexModel(
            [("tenant", ASCENDING), ("recorded_at", ASCENDING), ("_id", ASCENDING)],
            name="tenant_recorded_at_id",
        ),
        ttl("handled_at", HANDLED_EVENT_RETENTION),
    ],
    "member_event_cursors": [],  # _id is tenant:consumer
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
        # Entries of one type over a range (charity donations).
        IndexModel(
            [("tenant", ASCENDING), ("type", ASCENDING), ("created_at", ASCENDING)],
            name="tenant_type_created_at",
        ),
        # A member's transactions as listed: newest effective date first, keyset-paginated.
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("member_id", ASCENDING),
                ("created_at", DESCENDING),
                ("seq", DESCENDING),
            ],
            name="tenant_member_created_at_seq",
        ),
    ],
    "orders": [  # _id is tenant:order id (so an order id is unique per tenant)
        # A member's orders, newest first: tier qualifying values (a prefix of this index) and
        # the keyset-paginated member.orders.
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("member_id", ASCENDING),
                ("placed_at", DESCENDING),
                ("_id", DESCENDING),
            ],
            name="tenant_member_placed_at_id",
        ),
        # Statistics: orders of a period across members.
        IndexModel([("tenant", ASCENDING), ("placed_at", ASCENDING)], name="tenant_placed_at"),
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
        # Statistics: top rewards of a period.
        IndexModel([("tenant", ASCENDING), ("created_at", ASCENDING)], name="tenant_created_at"),
        # The redemption sweeper: attempts whose outcome the ledger is still to confirm.
        IndexModel([("tenant", ASCENDING), ("sweep_at", ASCENDING)], name="tenant_sweep_at"),
        # A member's redemptions, newest first, keyset-paginated (member.redemptions).
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("member_id", ASCENDING),
                ("created_at", DESCENDING),
                ("_id", DESCENDING),
            ],
            name="tenant_member_created_at_id",
        ),
        # The coupon job (issue 10): returns a crash left unfinished, and coupons expired
        # unused whose points go back.
        IndexModel([("tenant", ASCENDING), ("return_at", ASCENDING)], name="tenant_return_at"),
        IndexModel(
            [("tenant", ASCENDING), ("status", ASCENDING), ("expires_at", ASCENDING)],
            name="tenant_status_expires_at",
        ),
    ],
    "leaderboards": [],  # _id is tenant:board
    "leaderboard_entries": [
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("board", ASCENDING),
                ("snapshot", ASCENDING),
                ("rank", ASCENDING),
                ("position", ASCENDING),  # ties share a rank; the list order stays fixed
            ],
            name="tenant_board_snapshot_rank_position",
        ),
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("board", ASCENDING),
                ("snapshot", ASCENDING),
                ("member_id", ASCENDING),
            ],
            name="tenant_board_snapshot_member",
        ),
        IndexModel([("tenant", ASCENDING), ("member_id", ASCENDING)], name="tenant_member"),
    ],
    # _id is tenant:board:member; a refresh reads one board's counters in rank order.
    "leaderboard_counters": [
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("board", ASCENDING),
                ("score", DESCENDING),
                ("reached_at", ASCENDING),
                ("member_id", ASCENDING),
            ],
            name="tenant_board_score_reached_at",
        ),
    ],
    "idempotency": [  # _id is tenant:scope:key
        # Completed records only: a claim still in progress (no result) is never removed. A
        # retry arriving later than this runs again: see README, "Retention".
        ttl(
            "created_at",
            IDEMPOTENCY_RETENTION,
            partialFilterExpression={"result": {"$type": "object"}},
        ),
    ],
    "activities": [  # _id is tenant:member:activity:key
        # Counting one member's reviews for badges.
        IndexModel(
            [("tenant", ASCENDING), ("member_id", ASCENDING), ("activity", ASCENDING)],
            name="tenant_member_activity",
        ),
    ],
    "badges": [
        IndexModel([("tenant", ASCENDING), ("created_at", ASCENDING)], name="tenant_created_at"),
    ],
    "badge_awards": [  # _id is tenant:member:badge (awarded once)
        IndexModel(
            [("tenant", ASCENDING), ("member_id", ASCENDING), ("earned_at", ASCENDING)],
            name="tenant_member_earned_at",
        ),
    ],
    "activity_caps": [  # _id is tenant:counter (per member, rule and cap period)
        ttl("expire_at", timedelta(0)),  # set past the period's end; lifetime caps have none
    ],
    "app_theme_drafts": [],  # _id is the tenant slug
    "app_themes": [
        # _id is tenant:version (unique numbering); this serves "latest version".
        IndexModel(
            [("tenant", ASCENDING), ("version", DESCENDING)],
            name="tenant_version_unique",
            unique=True,
        ),
    ],
    "icon_files": [],  # _id is tenant:content-hash name
    "persisted_queries": [],  # _id is the document's sha256 (Apollo APQ)
    "points_reservations": [],  # _id is tenant:reservation id; looked up by id only
    "reward_claims": [],  # _id is tenant:bucket key (reward limits); looked up by id only
    # Issue 11: earn campaigns (_id is tenant:id); those running or recent, latest ending first.
    "earn_campaigns": [
        IndexModel([("tenant", ASCENDING), ("ends_at", DESCENDING)], name="tenant_ends_at"),
    ],
    # --- issue 12: audit log, privacy, gifting and charity -----------------------------------
    "audit_log": [
        # auditLog: newest first, keyset (at, _id), optionally by kind; kept for good.
        IndexModel(
            [("tenant", ASCENDING), ("at", DESCENDING), ("_id", DESCENDING)],
            name="tenant_at_id",
        ),
        IndexModel(
            [("tenant", ASCENDING), ("kind", ASCENDING), ("at", DESCENDING), ("_id", DESCENDING)],
            name="tenant_kind_at_id",
        ),
        # Erasure finds the entries naming the member (hashes of customer ids; multikey).
        IndexModel([("tenant", ASCENDING), ("subjects", ASCENDING)], name="tenant_subjects"),
    ],
    "erasures": [],  # _id is tenant:hash of the erased customer id
    "transfers": [  # _id is tenant:sender:idempotency key
        # The transfer sweeper: attempts whose outcome the ledger is still to confirm.
        IndexModel([("tenant", ASCENDING), ("sweep_at", ASCENDING)], name="tenant_sweep_at"),
        # A member's transfers, sent and received (memberExport).
        IndexModel(
            [("tenant", ASCENDING), ("sender_id", ASCENDING), ("created_at", ASCENDING)],
            name="tenant_sender_created_at",
        ),
        IndexModel(
            [("tenant", ASCENDING), ("recipient_id", ASCENDING), ("created_at", ASCENDING)],
            name="tenant_recipient_created_at",
        ),
    ],
    "transfer_allowances": [  # _id is tenant:sender:local day
        ttl("expire_at", timedelta(0)),  # set two days after that day began
    ],
    "charities": [  # _id is tenant:charity id
        IndexModel([("tenant", ASCENDING), ("created_at", ASCENDING)], name="tenant_created_at"),
    ],
    # Bulk jobs (issue 12): the worker takes live jobs oldest first; bulkJob(id) reads by _id
    # (tenant:job id). Award audiences page members by tenant_id / tenant_segment_id /
    # tenant_tier_id up to the job's high-water mark.
    "bulk_jobs": [
        IndexModel(
            [("tenant", ASCENDING), ("status", ASCENDING), ("created_at", ASCENDING)],
            name="tenant_status_created_at",
        ),
    ],
    "import_rows": [],  # _id is tenant:job:row index; read by exact _id
    # Outbound webhooks (issue 10): mongo/webhook_endpoints.py, mongo/webhook_deliveries.py.
    "webhook_endpoints": [  # _id is tenant:endpoint
        IndexModel([("tenant", ASCENDING), ("created_at", ASCENDING)], name="tenant_created_at"),
    ],
    "webhook_deliveries": [  # _id is tenant:delivery (derived from endpoint and event)
        # Due deliveries; finished ones have no next_attempt_at.
        IndexModel(
            [("tenant", ASCENDING), ("next_attempt_at", ASCENDING)],
            name="tenant_next_attempt_at",
        ),
        # webhookDeliveries, newest first, unfiltered or by endpoint or by status.
        IndexModel(
            [("tenant", ASCENDING), ("created_at", DESCENDING), ("_id", DESCENDING)],
            name="tenant_created_at_id",
        ),
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("endpoint_id", ASCENDING),
                ("created_at", DESCENDING),
                ("_id", DESCENDING),
            ],
            name="tenant_endpoint_created_at_id",
        ),
        IndexModel(
            [
                ("tenant", ASCENDING),
                ("status", ASCENDING),
                ("created_at", DESCENDING),
                ("_id", DESCENDING),
            ],
            name="tenant_status_created_at_id",
        ),
        ttl("finished_at", FINISHED_OUTBOX_RETENTION),
    ],
    # --- store connections (issue 10) ---------------------------------------------------------
    "store_connections": [  # _id is tenant:platform
        IndexModel([("tenant", ASCENDING), ("platform", ASCENDING)], name="tenant_platform"),
    ],
    "store_orders": [  # _id is tenant:platform:order id
        # A held order just claimed: what each connected store said about it.
        IndexModel([("tenant", ASCENDING), ("order_id", ASCENDING)], name="tenant_order_id"),
    ],
    "store_deliveries": [  # _id is tenant:platform:delivery id
        ttl("at", DELIVERY_RETENTION),
    ],
    "held_orders": [  # _id is tenant:order id
        IndexModel(
            [("tenant", ASCENDING), ("external_id", ASCENDING), ("placed_at", ASCENDING)],
            name="tenant_external_id_placed_at",
        ),
    ],
}


INDEX_NOT_FOUND = 27

# Indexes this module used to declare. Dropped by name at startup if present.
RETIRED_INDEXES: dict[str, tuple[str, ...]] = {
    # Prefixes of list_joined and list_last_order; and the due-wallet index that settlement's
    # keyset (tenant_wallet_next_due_at_id) replaced.
    "members": ("tenant_joined_at", "tenant_last_order_at", "tenant_wallet_next_due_at"),
    # The same uniqueness as _id; lookups go by _id.
    "orders": ("tenant_order_id_unique",),
    # Served the handled_by scan that consumer cursors replaced.
    "member_events": ("tenant_kind_occurred_at",),
    # A prefix of tenant_board_snapshot_rank_position (ties share a rank, issue 14).
    "leaderboard_entries": ("tenant_board_snapshot_rank",),
}


def is_ttl(model: IndexModel) -> bool:
    return "expireAfterSeconds" in model.document


async def ensure_indexes(db: Any, *, expire: bool = True) -> None:
    """`expire=False` leaves the TTL indexes out: for tests and benchmarks on a frozen clock,
    whose dates the server's TTL monitor (on its own clock) would find long past. (The
    in-process store applies TTL too, ignoring partial filters: fine for development.)"""
    for collection, retired in RETIRED_INDEXES.items():
        existing = await db[collection].index_information()
        for name in retired:
            if name in existing:
                try:
                    await db[collection].drop_index(name)
                except OperationFailure as exc:
                    if exc.code != INDEX_NOT_FOUND:  # another instance dropped it first
                        raise
    for collection, models in INDEXES.items():
        wanted = [m for m in models if expire or not is_ttl(m)]
        if wanted:
            await db[collection].create_indexes(wanted)
