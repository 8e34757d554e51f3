"""Statistics as MongoDB aggregation pipelines, each starting with an indexed `$match`.

Only stages and operators that both a real server and the in-process store accept are used
($match, $group, $bucket, $sort, $limit with $sum/$max/$cond/$ifNull/$in/$eq/$gte/$lt/$and);
derived figures are computed in loyalty.analytics.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

from loyalty.analytics import MemberGroup, OrderTotals, RewardCount, SeriesPoint, StatsRange
from loyalty.ledger import TransactionType
from mongo.codec import utc

# Entries a member causes (orders, activities, redemptions); system and merchant entries
# (RELEASE, EXPIRE, ADJUST, REFUND) do not make a member active.
ACTIVE_TYPES = [
    t.value
    for t in (
        TransactionType.EARN,
        TransactionType.PENDING,
        TransactionType.REDEEM,
        TransactionType.HOLD,
    )
]
ISSUED_TYPES = [TransactionType.EARN.value, TransactionType.PENDING.value]
# Checkout with points: a CAPTURE spends the held points (its `points` is 0: the balance lost
# them at the hold), and points a refund gives back to the shopper are their own kind.
_FLOW_KIND = {"$cond": [{"$eq": ["$reason_key", "reason.refund_points"]}, "RETURNED", "$type"]}
_FLOW_POINTS = {"$cond": [{"$eq": ["$type", "CAPTURE"]}, "$held_delta", "$points"]}


def _within(field: str, period: StatsRange) -> dict[str, Any]:
    return {field: {"$gte": period.start, "$lt": period.end}}


def _when(condition: dict[str, Any], value: Any) -> dict[str, Any]:
    return {"$sum": {"$cond": [condition, value, 0]}}


class MongoAnalytics:
    def __init__(self, db: Any) -> None:
        self._members = db["members"]
        self._ledger = db["ledger"]
        self._orders = db["orders"]
        self._redemptions = db["redemptions"]

    async def _run(self, collection: Any, pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
        cursor = await collection.aggregate(pipeline)
        rows: list[dict[str, Any]] = await cursor.to_list(None)
        return rows

    async def points_by_type(self, tenant: str, period: StatsRange) -> dict[str, int]:
        # ledger.tenant_created_at
        rows = await self._run(
            self._ledger,
            [
                {"$match": {"tenant": tenant, **_within("created_at", period)}},
                {"$group": {"_id": _FLOW_KIND, "points": {"$sum": _FLOW_POINTS}}},
            ],
        )
        return {row["_id"]: int(row["points"]) for row in rows}

    async def order_totals(self, tenant: str, period: StatsRange) -> OrderTotals:
        """One pass over the orders of the previous and the current period (tenant_placed_at):
        per member first, then over members."""
        current = {"$gte": ["$placed_at", period.start]}
        per_member = {
            "_id": "$member_id",
            "orders": _when(current, 1),
            "revenue": _when(current, "$total_minor"),
            "refunded": _when(current, {"$ifNull": ["$refunded_minor", 0]}),
            "before": {"$max": {"$cond": [{"$lt": ["$placed_at", period.start]}, 1, 0]}},
        }
        ordered = {"$gt": ["$orders", 0]}
        overall = {
            "_id": None,
            "orders": {"$sum": "$orders"},
            "customers": _when(ordered, 1),
            "repeat": _when({"$gte": ["$orders", 2]}, 1),
            "revenue": {"$sum": "$revenue"},
            "refunded": {"$sum": "$refunded"},
            "previous": {"$sum": "$before"},
            "retained": _when({"$and": [{"$eq": ["$before", 1]}, ordered]}, 1),
        }
        both = StatsRange(period.previous().start, period.end)
        rows = await self._run(
            self._orders,
            [
                {"$match": {"tenant": tenant, **_within("placed_at", both)}},
                {"$group": per_member},
                {"$group": overall},
            ],
        )
        row = rows[0] if rows else {}
        return OrderTotals(
            orders=int(row.get("orders", 0)),
            customers=int(row.get("customers", 0)),
            repeat_customers=int(row.get("repeat", 0)),
            revenue_minor=int(row.get("revenue", 0)),
            refunded_minor=int(row.get("refunded", 0)),
            previous_customers=int(row.get("previous", 0)),
            retained_customers=int(row.get("retained", 0)),
        )

    async def active_members(self, tenant: str, period: StatsRange) -> int:
        """Members with an order, an earning activity or a redemption in the range. Orders
        that earned nothing leave no ledger entry, hence the union of the two sources."""
        from_ledger = await self._run(
            self._ledger,
            [
                {
                    "$match": {
                        "tenant": tenant,
                        **_within("created_at", period),
                        "type": {"$in": ACTIVE_TYPES},
                    }
                },
                {"$group": {"_id": "$member_id"}},
            ],
        )
        from_orders = await self._run(
            self._orders,
            [
                {"$match": {"tenant": tenant, **_within("placed_at", period)}},
                {"$group": {"_id": "$member_id"}},
            ],
        )
        return len({row["_id"] for row in from_ledger} | {row["_id"] for row in from_orders})

    async def new_members(self, tenant: str, period: StatsRange) -> int:
        # members.list_joined (a range on its sort key)
        count: int = await self._members.count_documents(
            {"tenant": tenant, **_within("joined_at", period)}
        )
        return count

    async def member_groups(self, tenant: str) -> list[MemberGroup]:
        """Members by tier and segment with their stored balances: one pass over the tenant's
        members (prefix of tenant_external_id_unique). Absent fields are the defaults the
        tier and segment jobs would write: base tier, segment NEW."""
        rows = await self._run(
            self._members,
            [
                {"$match": {"tenant": tenant}},
                {
                    "$group": {
                        "_id": {
                            "tier": {"$ifNull": ["$tier_status.tier_id", "base"]},
                            "segment": {"$ifNull": ["$segment", "NEW"]},
                        },
                        "members": {"$sum": 1},
                        "balance": {"$sum": "$wallet.balance"},
                        "pending": {"$sum": "$wallet.pending"},
                    }
                },
            ],
        )
        return [
            MemberGroup(
                tier_id=str(row["_id"]["tier"]),
                segment=str(row["_id"]["segment"]),
                members=int(row["members"]),
                balance=int(row["balance"]),
                pending=int(row["pending"]),
            )
            for row in rows
        ]

    async def top_rewards(self, tenant: str, period: StatsRange, limit: int) -> list[RewardCount]:
        # redemptions.tenant_created_at; reserved and failed redemptions never took points.
        rows = await self._run(
            self._redemptions,
            [
                {
                    "$match": {
                        "tenant": tenant,
                        **_within("created_at", period),
                        "status": {"$in": ["ISSUED", "USED"]},
                    }
                },
                {
                    "$group": {
                        "_id": "$reward_id",
                        "redemptions": {"$sum": 1},
                        "points": {"$sum": "$points_spent"},
                    }
                },
                {"$sort": {"redemptions": -1, "_id": 1}},
                {"$limit": limit},
            ],
        )
        return [RewardCount(str(r["_id"]), int(r["redemptions"]), int(r["points"])) for r in rows]

    async def series(
        self, tenant: str, period: StatsRange, edges: list[datetime]
    ) -> list[SeriesPoint]:
        """Per bucket (edges from loyalty.analytics.bucket_boundaries): points, orders,
        revenue and new members, each collection bucketed by `$bucket` on its indexed date."""
        ledger = await self._buckets(
            self._ledger,
            {"tenant": tenant, **_within("created_at", period)},
            "$created_at",
            edges,
            {
                "issued": _when({"$in": ["$type", ISSUED_TYPES]}, "$points"),
                "redeemed": _when({"$eq": ["$type", "REDEEM"]}, "$points"),
                "expired": _when({"$eq": ["$type", "EXPIRE"]}, "$points"),
            },
        )
        orders = await self._buckets(
            self._orders,
            {"tenant": tenant, **_within("placed_at", period)},
            "$placed_at",
            edges,
            {"orders": {"$sum": 1}, "revenue": {"$sum": "$total_minor"}},
        )
        members = await self._buckets(
            self._members,
            {"tenant": tenant, **_within("joined_at", period)},
            "$joined_at",
            edges,
            {"joined": {"$sum": 1}},
        )
        points = []
        for start, end in pairwise(edges):
            led, ords, mem = ledger.get(start, {}), orders.get(start, {}), members.get(start, {})
            points.append(
                SeriesPoint(
                    start=start,
                    end=end,
                    points_issued=int(led.get("issued", 0)),
                    points_redeemed=-int(led.get("redeemed", 0)),
                    points_expired=-int(led.get("expired", 0)),
                    orders=int(ords.get("orders", 0)),
                    revenue_minor=int(ords.get("revenue", 0)),
                    new_members=int(mem.get("joined", 0)),
                )
            )
        return points

    async def _buckets(
        self,
        collection: Any,
        match: dict[str, Any],
        group_by: str,
        edges: list[datetime],
        output: dict[str, Any],
    ) -> dict[datetime, dict[str, Any]]:
        rows = await self._run(
            collection,
            [
                {"$match": match},
                {"$bucket": {"groupBy": group_by, "boundaries": edges, "output": output}},
            ],
        )
        return {utc(row["_id"]): row for row in rows}
