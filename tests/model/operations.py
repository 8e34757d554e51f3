"""What the simulation does, as plain data: the model and the product driver both read these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Settings:
    """A program's settings that the wallet rules depend on."""

    timezone: str
    pending_days: int
    expiry_months: int | None
    earn_rate: str  # points per currency unit
    activity_points: int
    activity_limit: int | None
    activity_period: str  # DAY, WEEK, MONTH, YEAR or LIFETIME


@dataclass(frozen=True)
class RecordOrder:
    tenant: str
    member: str
    order_id: str
    total: str
    placed_at: datetime | None  # None: placed now


@dataclass(frozen=True)
class RefundOrder:
    tenant: str
    order_id: str
    amount: str | None  # None: the rest of the order
    key: str


@dataclass(frozen=True)
class AdjustPoints:
    tenant: str
    member: str
    points: int
    reason: str
    key: str


@dataclass(frozen=True)
class RedeemReward:
    tenant: str
    member: str
    reward: str  # the reward's name in the scenario
    key: str


@dataclass(frozen=True)
class RecordActivity:
    tenant: str
    member: str
    key: str
    occurred_at: datetime | None


@dataclass(frozen=True)
class ChangeProgram:
    tenant: str
    settings: Settings


@dataclass(frozen=True)
class Tick:
    """The scheduler's settlement job, for every tenant."""


Operation = (
    RecordOrder | RefundOrder | AdjustPoints | RedeemReward | RecordActivity | ChangeProgram | Tick
)

ACTIVITY = "quiz"  # the custom activity every scenario program rewards
