"""Reward limits: how often one member may redeem a reward (per day, per month, ever), how
many the store has (stock), the smallest order its coupon takes, and when it can be redeemed.

Counting is done by claims (loyalty.ports.RewardClaims): each limit is a bucket, a redemption
claims one unit in every bucket that applies before its points are taken, and gives them back
if it fails. Days and months are the program's, in its time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal

from loyalty.errors import ErrorCode

MAX_PER_PERIOD = 1000
MAX_STOCK = 100_000  # a stock bucket lists its claims: this keeps it small


@dataclass(frozen=True)
class RewardLimits:
    per_day: int | None = None
    per_month: int | None = None
    per_member: int | None = None  # ever
    stock: int | None = None  # redemptions the store can honour in all
    min_order_total: Decimal | None = None  # the coupon's smallest order (consumeCoupon)
    available_from: datetime | None = None
    available_until: datetime | None = None  # exclusive


NO_LIMITS = RewardLimits()


@dataclass(frozen=True)
class Bucket:
    """One limit a redemption counts against: `key` names the bucket within the tenant."""

    key: str
    limit: int
    code: ErrorCode


def window_problem(limits: RewardLimits, now: datetime) -> tuple[ErrorCode, datetime] | None:
    if limits.available_from is not None and now < limits.available_from:
        return ErrorCode.REWARD_NOT_YET_AVAILABLE, limits.available_from
    if limits.available_until is not None and now >= limits.available_until:
        return ErrorCode.REWARD_NO_LONGER_AVAILABLE, limits.available_until
    return None


def buckets(
    limits: RewardLimits, reward_id: str, member_id: str, now: datetime, zone: tzinfo
) -> tuple[Bucket, ...]:
    """The member's own limits first (ever, month, day), then the stock: a refusal names the
    member's limit before the shop's."""
    local = now.astimezone(zone)
    mine = f"{reward_id}:{member_id}"
    found = []
    if limits.per_member is not None:
        found.append(Bucket(f"{mine}:ever", limits.per_member, ErrorCode.REWARD_LIMIT_REACHED))
    if limits.per_month is not None:
        found.append(
            Bucket(
                f"{mine}:m:{local:%Y-%m}",
                limits.per_month,
                ErrorCode.REWARD_MONTHLY_LIMIT_REACHED,
            )
        )
    if limits.per_day is not None:
        found.append(
            Bucket(
                f"{mine}:d:{local:%Y-%m-%d}", limits.per_day, ErrorCode.REWARD_DAILY_LIMIT_REACHED
            )
        )
    if limits.stock is not None:
        found.append(Bucket(stock_key(reward_id), limits.stock, ErrorCode.REWARD_OUT_OF_STOCK))
    return tuple(found)


def stock_key(reward_id: str) -> str:
    return f"{reward_id}:stock"
