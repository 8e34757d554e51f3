"""Program statistics: the pure arithmetic over figures the store has already aggregated.

The store sums and counts (ledger by type, orders by member, members by tier and segment);
everything derived from those sums lives here so it can be checked by hand:

* purchase frequency = orders / customers (customers = members with an order in the range)
* average order value = revenue / orders
* annual customer value = frequency x AOV, annualized: revenue / customers x 365 / range days
* customer lifetime value = annual customer value x expected lifespan (years, default 3)
* redemption rate = points redeemed / points issued; breakage = points expired / points issued
* repeat-purchase rate = customers with 2+ orders / customers
* retention rate = customers of the previous equal period who ordered again in this one /
  customers of the previous period
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import TransactionType
from loyalty.money import currency_precision

MAX_RANGE_DAYS = 366 * 5
MAX_BUCKETS = 400
DEFAULT_LIFESPAN_YEARS = Decimal(3)
MAX_LIFESPAN_YEARS = 50
DAYS_PER_YEAR = Decimal(365)
RATE_PLACES = Decimal("0.0001")


class Granularity(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"  # ISO weeks: Monday to Sunday in the tenant's zone
    MONTH = "MONTH"


@dataclass(frozen=True)
class StatsRange:
    start: datetime
    end: datetime

    @property
    def days(self) -> Decimal:
        return Decimal((self.end - self.start).total_seconds()) / Decimal(86_400)

    def previous(self) -> StatsRange:
        """The equal period just before this one (for retention)."""
        return StatsRange(self.start - (self.end - self.start), self.start)


# Stats look back one more period (retention) and bucket by calendar: near year 1 or 9999
# that arithmetic leaves what datetime can hold, and no program has data there anyway.
EARLIEST_STATS = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_STATS = datetime(2200, 1, 1, tzinfo=UTC)


def stats_range(start: datetime, end: datetime) -> StatsRange:
    for value, name in ((start, "from"), (end, "to")):
        if not EARLIEST_STATS <= value <= LATEST_STATS:
            raise DomainError(ErrorCode.OUT_OF_RANGE, (name,), min=EARLIEST_STATS, max=LATEST_STATS)
    if end <= start:
        raise DomainError(ErrorCode.INVALID_RANGE, ("to",))
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise DomainError(ErrorCode.RANGE_TOO_LONG, ("to",), max=MAX_RANGE_DAYS)
    return StatsRange(start, end)


def lifespan_years(value: float | None) -> Decimal:
    if value is None:
        return DEFAULT_LIFESPAN_YEARS
    years = Decimal(str(value))
    if not 0 < years <= MAX_LIFESPAN_YEARS:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("lifespanYears",), min=0, max=50)
    return years


@dataclass(frozen=True)
class PointsFlow:
    issued: int  # earned from orders and activities (pending included), never adjustments
    redeemed: int
    expired: int
    adjusted: int  # net: credits minus debits
    refunded: int  # taken back by refunds


def points_flow(sums_by_type: Mapping[str, int]) -> PointsFlow:
    """`sums_by_type`: signed sum of `points` per ledger entry type; CAPTURE sums the held
    points spent and RETURNED the paid points refunds gave back (checkout with points)."""

    def total(kind: TransactionType) -> int:
        return int(sums_by_type.get(kind.value, 0))

    return PointsFlow(
        issued=total(TransactionType.EARN) + total(TransactionType.PENDING),
        redeemed=-total(TransactionType.REDEEM)
        - total(TransactionType.CAPTURE)
        - int(sums_by_type.get("RETURNED", 0)),
        expired=-total(TransactionType.EXPIRE),
        adjusted=total(TransactionType.ADJUST),
        refunded=-total(TransactionType.REFUND),
    )


@dataclass(frozen=True)
class OrderTotals:
    """Orders placed in the range, and the customers of the previous equal period."""

    orders: int
    customers: int
    repeat_customers: int
    revenue_minor: int  # in the currency's minor units
    refunded_minor: int
    previous_customers: int
    retained_customers: int


def ratio(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, ROUND_HALF_UP))


def money(minor: int | Decimal, currency: str) -> Decimal:
    """Minor units (or a fraction of them) to an amount rounded to the currency's precision."""
    places = currency_precision(currency)
    value = Decimal(minor) / (Decimal(10) ** places)
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@dataclass(frozen=True)
class CustomerValue:
    purchase_frequency: float | None
    average_order_value: Decimal | None
    annual_customer_value: Decimal | None
    customer_lifetime_value: Decimal | None


def customer_value(
    totals: OrderTotals, period: StatsRange, currency: str, lifespan: Decimal
) -> CustomerValue:
    if totals.orders == 0 or totals.customers == 0:
        return CustomerValue(None, None, None, None)
    frequency = Decimal(totals.orders) / Decimal(totals.customers)
    aov_minor = Decimal(totals.revenue_minor) / Decimal(totals.orders)
    # frequency x AOV == revenue / customers in the range; scaled to a year.
    annual_minor = frequency * aov_minor * DAYS_PER_YEAR / period.days
    return CustomerValue(
        purchase_frequency=float(frequency.quantize(RATE_PLACES, ROUND_HALF_UP)),
        average_order_value=money(aov_minor, currency),
        annual_customer_value=money(annual_minor, currency),
        customer_lifetime_value=money(annual_minor * lifespan, currency),
    )


def bucket_boundaries(
    period: StatsRange, granularity: Granularity, zone: ZoneInfo
) -> list[datetime]:
    """Bucket edges in UTC, aligned to local midnights / Mondays / first days of the month in
    the tenant's zone (DST-safe: each edge is computed as a local wall time). The first edge is
    at or before the range's start, the last at or after its end."""
    local = period.start.astimezone(zone)
    edge = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    if granularity is Granularity.WEEK:
        edge -= timedelta(days=edge.weekday())
    elif granularity is Granularity.MONTH:
        edge = edge.replace(day=1)
    edges = [edge.replace(tzinfo=zone).astimezone(period.start.tzinfo)]
    while edges[-1] < period.end:
        if len(edges) > MAX_BUCKETS:
            raise DomainError(ErrorCode.TOO_MANY_BUCKETS, ("granularity",), max=MAX_BUCKETS)
        edge = _next_edge(edge, granularity)
        edges.append(edge.replace(tzinfo=zone).astimezone(period.start.tzinfo))
    return edges


def _next_edge(edge: datetime, granularity: Granularity) -> datetime:
    if granularity is Granularity.DAY:
        return edge + timedelta(days=1)
    if granularity is Granularity.WEEK:
        return edge + timedelta(days=7)
    year, month = (edge.year + 1, 1) if edge.month == 12 else (edge.year, edge.month + 1)
    return edge.replace(year=year, month=month)


@dataclass(frozen=True)
class MemberGroup:
    """Members sharing a tier and a segment, with their stored balances summed."""

    tier_id: str
    segment: str
    members: int
    balance: int
    pending: int


@dataclass(frozen=True)
class RewardCount:
    reward_id: str
    redemptions: int
    points: int


@dataclass(frozen=True)
class SeriesPoint:
    """One bucket of the time series; `start` is the bucket's local start, in UTC."""

    start: datetime
    end: datetime
    points_issued: int = 0
    points_redeemed: int = 0
    points_expired: int = 0
    orders: int = 0
    revenue_minor: int = 0
    new_members: int = 0


def tally(groups: list[MemberGroup], key: str) -> list[tuple[str, int]]:
    """Members per tier id (`key="tier"`) or per segment, largest first."""
    counts: dict[str, int] = {}
    for group in groups:
        name = group.tier_id if key == "tier" else group.segment
        counts[name] = counts.get(name, 0) + group.members
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
