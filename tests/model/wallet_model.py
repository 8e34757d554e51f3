"""The wallet rules as the README and the docstrings state them, in the plainest code that can
say them (standard library only).

- A wallet holds lots. A lot is *pending* while its `available_at` is after now, *expired*
  from its `expires_at` on, and *spendable* otherwise. Balances are read from the lots at a
  moment; the ledger's running figures catch up when entries are written.
- Every write first settles: a lot whose window passed is RELEASEd (pending -> balance), a lot
  whose expiry passed EXPIREs (from the balance, or from pending if it expired while still
  pending), in time order; at one instant releases come before expiries, and older lots first.
- Earning adds a lot: an EARN/ADJUST entry when it is spendable at once, otherwise PENDING.
  A back-dated lot that is already expired is settled in the same write.
- Spending takes spendable points, soonest expiry first and never-expiring lots last (then
  the earliest earned); it never overdraws: INSUFFICIENT_POINTS changes nothing.
- A refund takes back the order's own points first (pending before spendable), then other
  pending points, then spendable ones, never below zero: what is missing is the shortfall.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime


class Rejected(Exception):
    """The model refuses the operation with `code`; nothing changed."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class ModelLot:
    number: int  # creation order in the wallet
    points: int
    remaining: int
    earned_at: datetime
    available_at: datetime
    expires_at: datetime | None
    released: bool
    order_id: str | None

    def pending(self, now: datetime) -> bool:
        return self.available_at > now

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def spendable(self, now: datetime) -> bool:
        return self.remaining > 0 and not self.pending(now) and not self.expired(now)

    def spend_rank(self) -> tuple[int, datetime, datetime, int]:
        if self.expires_at is None:
            return (1, self.earned_at, self.earned_at, self.number)
        return (0, self.expires_at, self.earned_at, self.number)


@dataclass(frozen=True)
class ModelEntry:
    type: str
    points: int
    balance_after: int
    pending_after: int
    at: datetime
    order_id: str | None = None
    shortfall: int = 0


@dataclass(frozen=True)
class View:
    balance: int
    pending: int
    lifetime_earned: int


@dataclass
class ModelWallet:
    lots: list[ModelLot] = field(default_factory=list)
    ledger: list[ModelEntry] = field(default_factory=list)
    lifetime_earned: int = 0
    lots_made: int = 0

    @property
    def balance(self) -> int:
        return self.ledger[-1].balance_after if self.ledger else 0

    @property
    def pending(self) -> int:
        return self.ledger[-1].pending_after if self.ledger else 0

    def view(self, now: datetime) -> View:
        live = [lot for lot in self.lots if not lot.expired(now)]
        return View(
            balance=sum(lot.remaining for lot in live if not lot.pending(now)),
            pending=sum(lot.remaining for lot in live if lot.pending(now)),
            lifetime_earned=self.lifetime_earned,
        )

    def live_lots(self) -> list[ModelLot]:
        return [lot for lot in self.lots if lot.remaining > 0]

    def copy(self) -> ModelWallet:
        return ModelWallet(
            lots=[replace(lot) for lot in self.lots],
            ledger=list(self.ledger),
            lifetime_earned=self.lifetime_earned,
            lots_made=self.lots_made,
        )

    def _write(
        self,
        type_: str,
        points: int,
        to_balance: int,
        to_pending: int,
        at: datetime,
        order_id: str | None = None,
        shortfall: int = 0,
    ) -> None:
        self.ledger.append(
            ModelEntry(
                type=type_,
                points=points,
                balance_after=self.balance + to_balance,
                pending_after=self.pending + to_pending,
                at=at,
                order_id=order_id,
                shortfall=shortfall,
            )
        )

    def settle(self, now: datetime) -> None:
        events: list[tuple[datetime, int, int, ModelLot]] = []
        for lot in self.lots:
            if not lot.released and lot.available_at <= now:
                events.append((lot.available_at, 0, lot.number, lot))
            if lot.expires_at is not None and lot.expires_at <= now and lot.remaining > 0:
                events.append((lot.expires_at, 1, lot.number, lot))
        for at, kind, _, lot in sorted(events, key=lambda e: e[:3]):
            if kind == 0:
                lot.released = True
                if lot.remaining > 0:
                    points = lot.remaining
                    self._write("RELEASE", points, points, -points, at, lot.order_id)
            elif lot.remaining > 0:
                if lot.released:
                    self._write("EXPIRE", -lot.remaining, -lot.remaining, 0, at, lot.order_id)
                else:
                    self._write("EXPIRE", -lot.remaining, 0, -lot.remaining, at, lot.order_id)
                lot.remaining = 0
        # A lot with nothing left and its window passed has told its whole story.
        self.lots = [lot for lot in self.lots if lot.remaining > 0 or not lot.released]

    def earn(
        self,
        now: datetime,
        points: int,
        type_: str,
        earned_at: datetime,
        available_at: datetime,
        expires_at: datetime | None,
        order_id: str | None = None,
    ) -> None:
        self.settle(now)
        self.lots_made += 1
        released = available_at <= now
        lot = ModelLot(
            self.lots_made, points, points, earned_at, available_at, expires_at, released, order_id
        )
        self.lots.append(lot)
        self.lifetime_earned += points
        if released:
            self._write(type_, points, points, 0, earned_at, order_id)
        else:
            self._write("PENDING", points, 0, points, earned_at, order_id)
        self.settle(now)

    def spend(self, now: datetime, points: int, type_: str) -> None:
        self.settle(now)
        spendable = sorted(
            (lot for lot in self.lots if lot.spendable(now)), key=ModelLot.spend_rank
        )
        if sum(lot.remaining for lot in spendable) < points:
            raise Rejected("INSUFFICIENT_POINTS")
        wanted = points
        for lot in spendable:
            part = min(lot.remaining, wanted)
            lot.remaining -= part
            wanted -= part
        self._write(type_, -points, -points, 0, now)
        self.settle(now)

    def claw_back(self, now: datetime, points: int, order_id: str) -> None:
        self.settle(now)
        live = [lot for lot in self.lots if lot.remaining > 0 and not lot.expired(now)]
        own = sorted(
            (lot for lot in live if lot.order_id == order_id),
            key=lambda lot: (not lot.pending(now), lot.spend_rank()),
        )
        others = [lot for lot in live if lot.order_id != order_id]
        pending = sorted((lot for lot in others if lot.pending(now)), key=ModelLot.spend_rank)
        spendable = sorted((lot for lot in others if not lot.pending(now)), key=ModelLot.spend_rank)
        from_balance = from_pending = 0
        for lot in [*own, *pending, *spendable]:
            part = min(lot.remaining, points - from_balance - from_pending)
            if lot.pending(now):
                from_pending += part
            else:
                from_balance += part
            lot.remaining -= part
        taken = from_balance + from_pending
        shortfall = points - taken
        self._write("REFUND", -taken, -from_balance, -from_pending, now, order_id, shortfall)
        self.settle(now)
