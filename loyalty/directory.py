"""The merchant's view of its members: a filtered, sorted list, each member's orders and
redemptions, and the batches CSV exports stream. Models and the ports mongo/ implements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from loyalty.ledger import LedgerEntry
from loyalty.member_search import SearchTerms
from loyalty.members import Member
from loyalty.orders import Order
from loyalty.rewards import Redemption, RedemptionStatus
from loyalty.segments import Segment

# Coupons the shopper can see: reserved (in flight) and failed ones never existed for them.
VISIBLE_REDEMPTIONS = (RedemptionStatus.ISSUED, RedemptionStatus.USED)


class MemberSort(StrEnum):
    LIFETIME_POINTS_DESC = "LIFETIME_POINTS_DESC"
    LAST_ORDER_DESC = "LAST_ORDER_DESC"  # members who never ordered come last
    JOINED_DESC = "JOINED_DESC"


SortValue = int | datetime | None


@dataclass(frozen=True)
class MemberFilter:
    segment: Segment | None = None
    tier_id: str | None = None
    search: SearchTerms | None = None
    # No order since then, and joined before then.
    inactive_since: datetime | None = None


@dataclass(frozen=True)
class MemberKey:
    """A member's position in one sort order: keyset pagination resumes after it."""

    value: SortValue
    member_id: str


def sort_value(member: Member, sort: MemberSort) -> SortValue:
    if sort is MemberSort.LIFETIME_POINTS_DESC:
        return member.wallet.lifetime_earned
    if sort is MemberSort.LAST_ORDER_DESC:
        return member.last_order_at
    return member.joined_at


@dataclass(frozen=True)
class TimeKey:
    """A position in a newest-first history (orders by placedAt, redemptions by createdAt)."""

    at: datetime
    id: str


class MemberDirectory(Protocol):
    async def page(
        self,
        tenant: str,
        where: MemberFilter,
        sort: MemberSort,
        after: MemberKey | None,
        limit: int,
    ) -> list[Member]: ...


class MemberHistory(Protocol):
    """Newest first, only the member's own documents."""

    async def orders(
        self, tenant: str, member_id: str, after: TimeKey | None, limit: int
    ) -> list[Order]: ...
    async def redemptions(
        self, tenant: str, member_id: str, after: TimeKey | None, limit: int
    ) -> list[Redemption]: ...


@dataclass(frozen=True)
class LedgerLine:
    entry: LedgerEntry
    member_external_id: str


class ExportSource(Protocol):
    """Batches read from one database cursor each: the caller never holds a whole export."""

    def member_batches(self, tenant: str, size: int) -> AsyncIterator[list[Member]]: ...
    def ledger_batches(
        self, tenant: str, start: datetime, end: datetime, size: int
    ) -> AsyncIterator[list[LedgerLine]]: ...
