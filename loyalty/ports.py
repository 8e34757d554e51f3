"""What the domain needs from the outside world; mongo/ implements these, tests may fake them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from loyalty.clock import Clock
from loyalty.ledger import LedgerEntry
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.notification_ports import (
    Audiences,
    CampaignRepository,
    DeviceRepository,
    JobCursors,
    Outbox,
    PreferenceRepository,
)
from loyalty.orders import Order, Refund
from loyalty.program import Program
from loyalty.rewards import Redemption, RedemptionStatus, Reward
from loyalty.tenants import ApiKey, MemberKey, Tenant
from loyalty.wallet import WalletChange, WalletState


@dataclass(frozen=True)
class Applied:
    """The outcome of applying one operation to a wallet. `replayed` is true when the operation
    had already been applied (a retry): then nothing changed and `entries` are the first ones."""

    member: Member
    entries: tuple[LedgerEntry, ...]
    replayed: bool


WalletOperation = Callable[[WalletState], WalletChange]


class TenantRepository(Protocol):
    async def insert(self, tenant: Tenant) -> bool: ...
    async def get(self, slug: str) -> Tenant | None: ...
    async def save_program(self, slug: str, program: Program) -> None: ...
    async def save_member_keys(self, slug: str, keys: tuple[MemberKey, ...]) -> None: ...


class ApiKeyRepository(Protocol):
    async def insert(self, key: ApiKey) -> None: ...
    async def find(self, key_hash: str) -> ApiKey | None: ...


class MemberRepository(Protocol):
    async def get(self, tenant: str, member_id: str) -> Member | None: ...
    async def get_by_external_id(self, tenant: str, external_id: str) -> Member | None: ...
    async def enrol(self, member: Member) -> tuple[Member, bool]: ...
    async def update_profile(
        self, tenant: str, member_id: str, changes: Mapping[str, str | None]
    ) -> Member | None: ...
    async def apply(
        self, tenant: str, member_id: str, op_id: str, operation: WalletOperation
    ) -> Applied: ...
    async def ledger_page(
        self, tenant: str, member_id: str, before_seq: int | None, limit: int
    ) -> list[LedgerEntry]: ...
    async def due_member_ids(self, tenant: str, now: datetime, limit: int) -> list[str]: ...
    async def touch_order(self, tenant: str, member_id: str, placed_at: datetime) -> None: ...


class OrderRepository(Protocol):
    async def insert(self, order: Order) -> tuple[Order, bool]: ...
    async def get(self, tenant: str, order_id: str) -> Order | None: ...
    async def add_refund(self, order: Order, refund: Refund) -> bool: ...


class RewardRepository(Protocol):
    async def save(self, tenant: str, reward: Reward) -> None: ...
    async def get(self, tenant: str, reward_id: str) -> Reward | None: ...
    async def list(self, tenant: str, *, active_only: bool) -> list[Reward]: ...


class RedemptionRepository(Protocol):
    async def reserve(self, redemption: Redemption, op_id: str) -> Redemption: ...
    async def set_status(
        self, tenant: str, redemption_id: str, status: RedemptionStatus
    ) -> Redemption | None: ...
    async def get(self, tenant: str, redemption_id: str) -> Redemption | None: ...
    async def by_code(self, tenant: str, code: str) -> Redemption | None: ...
    async def mark_used(
        self, tenant: str, code: str, order_id: str, now: Any
    ) -> Redemption | None: ...


@dataclass(frozen=True)
class Claim:
    """An idempotency key's record. `fresh` when this call created it."""

    fresh: bool
    fingerprint: str
    result: Mapping[str, Any] | None


class IdempotencyRepository(Protocol):
    async def claim(self, tenant: str, scope: str, key: str, fingerprint: str) -> Claim: ...
    async def complete(
        self, tenant: str, scope: str, key: str, result: Mapping[str, Any]
    ) -> None: ...
    async def release(self, tenant: str, scope: str, key: str) -> None: ...


@dataclass(frozen=True)
class ActivityRecord:
    tenant: str
    member_id: str
    activity: str
    key: str
    points: int
    occurred_at: Any
    cap_counter: str | None


class ActivityRepository(Protocol):
    async def find(
        self, tenant: str, member_id: str, activity: str, key: str
    ) -> ActivityRecord | None: ...
    async def insert(self, record: ActivityRecord) -> tuple[ActivityRecord, bool]: ...
    async def take_cap(self, tenant: str, counter: str, limit: int) -> bool: ...
    async def give_back_cap(self, tenant: str, counter: str) -> None: ...


class MemberEventLog(Protocol):
    async def record(self, event: MemberEvent) -> bool: ...
    async def unhandled(
        self, tenant: str, consumer: str, kinds: Sequence[MemberEventKind], limit: int
    ) -> list[MemberEvent]: ...
    async def mark_handled(self, tenant: str, consumer: str, event_id: str) -> None: ...


class WalletEvents(Protocol):
    def publish(self, tenant: str, member_id: str) -> None: ...


@dataclass(frozen=True)
class Deps:
    tenants: TenantRepository
    api_keys: ApiKeyRepository
    members: MemberRepository
    orders: OrderRepository
    rewards: RewardRepository
    redemptions: RedemptionRepository
    idempotency: IdempotencyRepository
    activities: ActivityRepository
    events: WalletEvents
    member_events: MemberEventLog
    clock: Clock
    devices: DeviceRepository
    preferences: PreferenceRepository
    outbox: Outbox
    campaigns: CampaignRepository
    cursors: JobCursors
    audiences: Audiences
