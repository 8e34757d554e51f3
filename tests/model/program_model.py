"""One tenant as the rules describe it: orders, refunds, adjustments, rewards and activities
moving points in the members' model wallets (standard library only).

- An order earns floor(total x earn rate) points, pending `pending_days` from when it was
  placed, expiring per the program; it is idempotent on its id (the same content again changes
  nothing, other content is a CONFLICT); a placedAt in the future is INVALID_INPUT.
- A refund takes back points in proportion to the cumulative amount refunded, rounded down,
  so that partial refunds never take more than the order earned (the last one takes the
  rest); a refund beyond what is left is REFUND_EXCEEDS_ORDER, one after a full refund
  ORDER_FULLY_REFUNDED.
- Adjustments give points spendable now (expiring per the program) or take them like a spend.
- Idempotency keys: the same request again changes nothing, another request under the key is
  IDEMPOTENCY_CONFLICT; a refused request frees its key, except that a redemption key stays
  bound to the reward of its first attempt.
- An activity earns its rule's points once per key, at most `limit` times per calendar period
  of the tenant's zone (weeks start on Monday), as of when it occurred.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from tests.model.local_dates import available_moment, expiry_moment, local_date
from tests.model.operations import (
    AdjustPoints,
    ChangeProgram,
    Operation,
    RecordActivity,
    RecordOrder,
    RedeemReward,
    RefundOrder,
    Settings,
)
from tests.model.wallet_model import ModelWallet, Rejected


@dataclass
class ModelOrder:
    member: str
    total: Fraction
    points: int
    placed_at: datetime
    refunded: Fraction = Fraction(0)
    clawed: int = 0


@dataclass
class ModelTenant:
    slug: str
    currency: str
    settings: Settings
    rewards: dict[str, int]  # name -> cost
    wallets: dict[str, ModelWallet] = field(default_factory=dict)
    orders: dict[str, ModelOrder] = field(default_factory=dict)
    keys: dict[tuple[str, str], object] = field(default_factory=dict)
    redemption_keys: dict[tuple[str, str], str] = field(default_factory=dict)
    activities: set[tuple[str, str]] = field(default_factory=set)
    cap_counts: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def expires_at(self, earned_at: datetime) -> datetime | None:
        return expiry_moment(earned_at, self.zone, self.settings.expiry_months)

    def apply(self, op: Operation, now: datetime) -> tuple[str | None, str | None]:
        """(the refusal code or None, the member whose wallet the operation is about).
        A refused operation leaves the tenant as it was."""
        member = self._member_of(op)
        try:
            if isinstance(op, RecordOrder):
                self._order(op, now)
            elif isinstance(op, RefundOrder):
                self._refund(op, now)
            elif isinstance(op, AdjustPoints):
                self._adjust(op, now)
            elif isinstance(op, RedeemReward):
                self._redeem(op, now)
            elif isinstance(op, RecordActivity):
                self._activity(op, now)
            elif isinstance(op, ChangeProgram):
                self._program(op)
            else:
                raise AssertionError(f"not a tenant operation: {op}")
        except Rejected as refusal:
            return refusal.code, member
        return None, member

    def _member_of(self, op: Operation) -> str | None:
        if isinstance(op, RefundOrder):
            order = self.orders.get(op.order_id)
            return order.member if order else None
        return getattr(op, "member", None)

    def settle_all(self, now: datetime) -> None:
        for wallet in self.wallets.values():
            wallet.settle(now)

    def _change(self, member: str, change: Callable[[ModelWallet], None]) -> None:
        """Runs `change` on a copy of the wallet and keeps it only if nothing was refused."""
        wallet = self.wallets[member].copy()
        change(wallet)
        self.wallets[member] = wallet

    def _claim(self, scope: tuple[str, str], fingerprint: object) -> bool:
        """True when the request is new under its key; False for a replay."""
        if scope not in self.keys:
            return True
        if self.keys[scope] != fingerprint:
            raise Rejected("IDEMPOTENCY_CONFLICT")
        return False

    def _order(self, op: RecordOrder, now: datetime) -> None:
        placed = op.placed_at or now
        if placed > now:
            raise Rejected("INVALID_INPUT")
        expires = self.expires_at(placed)
        existing = self.orders.get(op.order_id)
        if existing is None and expires is not None and expires <= now:
            # Its points would be born expired; an order recorded young is a retry, though.
            raise Rejected("ORDER_TOO_OLD")
        total = Fraction(op.total)
        if existing is not None:
            if (existing.member, existing.total) != (op.member, total):
                raise Rejected("CONFLICT")
            return
        points = int(total * Fraction(self.settings.earn_rate))  # whole points, rounded down
        self.orders[op.order_id] = ModelOrder(op.member, total, points, placed)
        if points > 0:
            available = available_moment(placed, self.settings.pending_days)
            expires = self.expires_at(placed)
            self._change(
                op.member,
                lambda w: w.earn(now, points, "EARN", placed, available, expires, op.order_id),
            )

    def _refund(self, op: RefundOrder, now: datetime) -> None:
        order = self.orders.get(op.order_id)
        if order is None:
            raise Rejected("ORDER_NOT_FOUND")
        amount = order.total - order.refunded if op.amount is None else Fraction(op.amount)
        fingerprint = (op.order_id, "full" if op.amount is None else amount)
        if not self._claim(("refund", op.key), fingerprint):
            return
        if order.refunded >= order.total:
            raise Rejected("ORDER_FULLY_REFUNDED")
        if amount <= 0 or order.refunded + amount > order.total:
            raise Rejected("REFUND_EXCEEDS_ORDER")
        after = order.refunded + amount
        if after >= order.total:
            points = order.points - order.clawed
        else:
            points = max(int(order.points * after / order.total) - order.clawed, 0)
        self._change(order.member, lambda w: w.claw_back(now, points, op.order_id))
        order.refunded = after
        order.clawed += points
        self.keys[("refund", op.key)] = fingerprint

    def _adjust(self, op: AdjustPoints, now: datetime) -> None:
        fingerprint = (op.member, op.points, op.reason)
        if not self._claim(("adjust", op.key), fingerprint):
            return
        if op.points > 0:
            expires = self.expires_at(now)
            self._change(op.member, lambda w: w.earn(now, op.points, "ADJUST", now, now, expires))
        else:
            self._change(op.member, lambda w: w.spend(now, -op.points, "ADJUST"))
        self.keys[("adjust", op.key)] = fingerprint

    def _redeem(self, op: RedeemReward, now: datetime) -> None:
        scope = (f"redeem:{op.member}", op.key)
        if not self._claim(scope, op.reward):
            return
        # A redemption key is bound to its reward by the first attempt, refused or not: the
        # same reward may be tried again, another one is a conflict.
        bound = self.redemption_keys.setdefault(scope, op.reward)
        if bound != op.reward:
            raise Rejected("IDEMPOTENCY_CONFLICT")
        cost = self.rewards[op.reward]
        self._change(op.member, lambda w: w.spend(now, cost, "REDEEM"))
        self.keys[scope] = op.reward

    def _program(self, op: ChangeProgram) -> None:
        months, days = op.settings.expiry_months, op.settings.pending_days
        if months is not None and days >= 28 * months:
            # Points could expire while still pending (a month is 28 days at the shortest).
            raise Rejected("SETTINGS_REFUSED")
        self.settings = op.settings

    def _activity(self, op: RecordActivity, now: datetime) -> None:
        occurred = op.occurred_at or now
        if occurred > now:
            raise Rejected("INVALID_INPUT")
        if (op.member, op.key) in self.activities:
            return
        points = self.settings.activity_points
        if points > 0 and self.settings.activity_limit is not None:
            bucket = (op.member, period_of(self.settings.activity_period, occurred, self.zone))
            if self.cap_counts.get(bucket, 0) >= self.settings.activity_limit:
                raise Rejected("ACTIVITY_LIMIT_REACHED")
            self.cap_counts[bucket] = self.cap_counts.get(bucket, 0) + 1
        self.activities.add((op.member, op.key))
        if points > 0:
            expires = self.expires_at(occurred)
            self._change(
                op.member, lambda w: w.earn(now, points, "EARN", occurred, occurred, expires)
            )


def period_of(period: str, moment: datetime, zone: ZoneInfo) -> str:
    day = local_date(moment, zone)
    first: date | None = {
        "DAY": day,
        "WEEK": day - timedelta(days=day.weekday()),
        "MONTH": day.replace(day=1),
        "YEAR": day.replace(month=1, day=1),
    }.get(period)
    return "all" if first is None else first.isoformat()
