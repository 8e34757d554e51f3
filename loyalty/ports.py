"""What the domain needs from the outside world; mongo/ implements these, tests may fake them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from loyalty.analytics import MemberGroup, OrderTotals, RewardCount, SeriesPoint, StatsRange
from loyalty.audit import AuditLog
from loyalty.badges import Badge, BadgeAward
from loyalty.bulk_jobs import BulkJobRepository
from loyalty.clock import Clock
from loyalty.directory import ExportSource, MemberDirectory, MemberHistory
from loyalty.earn_campaigns import EarnCampaign
from loyalty.gifting_ports import CharityRepository, TransferRepository
from loyalty.leaderboards import Score
from loyalty.ledger import HistoryKey, LedgerEntry
from loyalty.lots import WalletChange, WalletState
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
from loyalty.orders import Order, PastOrder, Refund
from loyalty.privacy import PersonalData
from loyalty.program import Program
from loyalty.referrals import Referral, ReferralStatus
from loyalty.reservations import PointsReservation, ReservationStatus
from loyalty.rewards import Redemption, RedemptionStatus, Reward
from loyalty.segments import Segment
from loyalty.store_inbox import DeliveryLog, HeldOrderRepository, StoreOrderRepository
from loyalty.stores import UNWIRED_SECRETS, SecretBox, StoreConnectionRepository
from loyalty.tenants import ApiKey, MemberKey, Tenant
from loyalty.theme import IconRef, ThemeDraft, ThemeSpec, ThemeVersion
from loyalty.tiers import TierState
from loyalty.wallet_events import WalletEvents
from loyalty.webhook_ports import WebhookDeliveryRepository, WebhookEndpointRepository


@dataclass(frozen=True)
class Applied:
    """The outcome of applying one operation to a wallet. `replayed` is true when the operation
    had already been applied (a retry): then nothing changed and `entries` are the first ones."""

    member: Member
    entries: tuple[LedgerEntry, ...]
    replayed: bool


WalletOperation = Callable[[WalletState], WalletChange]


@dataclass(frozen=True)
class BatchApplied:
    """The outcome of one operation id applied to a page of wallets at once. `applied`: the
    wallets settled by the batch (changed now, or holding the operation already). `unsettled`:
    member ids whose batched write may have lost a race (or whose member is gone); apply them
    one by one, which decides durably whether the operation is there."""

    applied: tuple[Applied, ...]
    unsettled: tuple[str, ...]


@dataclass(frozen=True)
class MemberRead:
    """A member as one read found them, for a use case that reads once and writes later: `apply`
    takes it as its first attempt instead of reading again (a stale read only costs a retry:
    the write is conditional on the wallet's seq). `unsynced` are the wallet entries that read
    showed committed but not yet known to be in the ledger; `badges` the settled badge ids kept
    on the member (None on a member written before they were kept there)."""

    member: Member
    unsynced: tuple[LedgerEntry, ...] = ()
    badges: frozenset[str] | None = None


@dataclass(frozen=True)
class StandingChange:
    """What an order changes on its member beside the wallet, written in the same update as
    the credit. `tier` is saved when its version differs from the one read (and only if that
    version is still stored); the order dates with $min/$max, so repeating them is harmless."""

    tier: TierState
    segment: Segment
    segment_review_at: datetime | None
    order_at: datetime
    badges: frozenset[str] | None = None  # to keep on a member that had none kept yet


Standing = Callable[[Member], Awaitable[StandingChange]]


class TenantRepository(Protocol):
    async def insert(self, tenant: Tenant) -> bool: ...
    async def get(self, slug: str) -> Tenant | None: ...
    async def save_program(self, slug: str, program: Program) -> None: ...
    async def save_member_keys(self, slug: str, keys: tuple[MemberKey, ...]) -> None: ...


class ApiKeyRepository(Protocol):
    async def insert(self, key: ApiKey) -> None: ...
    async def find(self, key_hash: str) -> ApiKey | None: ...
    async def list(self, tenant: str) -> list[ApiKey]: ...
    async def revoke(self, tenant: str, key_id: str) -> bool: ...


class MemberRepository(Protocol):
    """`get` and `get_by_external_id` read a member to answer with: the wallet's recent
    operation ids (and journal) are left out, so never derive a wallet write from them (`read`
    and `apply` read what a write needs)."""

    async def get(self, tenant: str, member_id: str) -> Member | None: ...
    async def get_by_external_id(self, tenant: str, external_id: str) -> Member | None: ...
    async def read(self, tenant: str, member_id: str) -> MemberRead | None: ...
    async def read_by_external_id(self, tenant: str, external_id: str) -> MemberRead | None: ...
    async def enrol(self, member: Member) -> tuple[Member, bool]: ...
    async def enrol_many(
        self, tenant: str, members: Sequence[Member]
    ) -> list[tuple[MemberRead, bool]]:
        """`enrol` for a page of members (an import), read whole for a wallet write; a member
        with a birthday gets it stored. Whether each was created now."""
        ...

    async def update_profile(
        self, tenant: str, member_id: str, changes: Mapping[str, str | None]
    ) -> Member | None: ...
    async def apply(
        self,
        tenant: str,
        member_id: str,
        op_id: str,
        operation: WalletOperation,
        *,
        maybe_applied: bool = True,
        read: MemberRead | None = None,
        standing: Standing | None = None,
    ) -> Applied:
        """`standing`: computed from the member each attempt read, written with the change."""
        ...

    async def apply_many(
        self, tenant: str, op_id: str, work: Sequence[tuple[MemberRead, WalletOperation]]
    ) -> BatchApplied:
        """`apply` for many wallets in a few round trips, from the reads given (the same
        journal and ledger rules; no standing)."""
        ...

    async def save_standing(
        self, tenant: str, member_id: str, standing: Standing, *, read: MemberRead | None = None
    ) -> Member: ...
    async def ledger_page(
        self, tenant: str, member_id: str, before_seq: int | None, limit: int
    ) -> list[LedgerEntry]: ...
    async def history_page(
        self, tenant: str, member_id: str, after: HistoryKey | None, limit: int
    ) -> list[LedgerEntry]:
        """Newest effective date first (see HistoryKey)."""
        ...

    async def due_wallets(
        self, tenant: str, now: datetime, limit: int, after: tuple[datetime, str] | None
    ) -> list[tuple[tuple[datetime, str], str]]: ...
    async def lagging_ledger_ids(self, tenant: str, limit: int) -> list[str]: ...
    async def operation_entries(
        self, tenant: str, member_id: str, op_id: str
    ) -> tuple[LedgerEntry, ...]: ...
    async def sync_ledger(self, tenant: str, member_id: str) -> bool: ...


class StandingRepository(Protocol):
    """Tier status, segment, referrer and leaderboard opt-out on the member."""

    async def save_tier(
        self, tenant: str, member_id: str, expected_version: int, state: TierState
    ) -> bool: ...
    async def tier_review_due(self, tenant: str, now: datetime, limit: int) -> list[str]: ...
    async def save_segment(
        self, tenant: str, member_id: str, segment: Segment, review_at: datetime | None
    ) -> None: ...
    async def segment_review_due(self, tenant: str, now: datetime, limit: int) -> list[str]: ...
    async def set_referrer(self, tenant: str, member_id: str, referrer_id: str) -> bool: ...
    async def clear_referrer(self, tenant: str, member_id: str, referrer_id: str) -> None: ...
    async def by_referral_code(self, tenant: str, code: str) -> str | None: ...
    async def set_leaderboard_opt_out(self, tenant: str, member_id: str, opt_out: bool) -> None: ...
    async def note_badge(self, tenant: str, member_id: str, badge_id: str) -> None:
        """Keeps a settled badge's id on the member (read with the member on every order)."""
        ...


class LeaderboardRepository(Protocol):
    async def scores(self, tenant: str, board: str) -> list[Score]: ...
    async def backfill_counters(self, tenant: str, zone: ZoneInfo) -> int: ...
    async def public_names(self, tenant: str, member_ids: list[str]) -> dict[str, str | None]: ...
    async def publish(
        self, tenant: str, board: str, rows: list[dict[str, Any]], updated_at: datetime
    ) -> bool:
        """False when the board already shows a newer snapshot (this one is dropped)."""
        ...

    async def board(self, tenant: str, board: str) -> tuple[Any, datetime | None]: ...
    async def top(
        self, tenant: str, board: str, snapshot: Any, first: int
    ) -> list[dict[str, Any]]: ...
    async def entry(
        self, tenant: str, board: str, snapshot: Any, member_id: str
    ) -> dict[str, Any] | None: ...
    async def forget_member(self, tenant: str, member_id: str) -> None: ...


class ReferralRepository(Protocol):
    async def link(self, referral: Referral) -> Referral: ...
    async def get(self, tenant: str, referee_id: str) -> Referral | None: ...
    async def set_first_order(
        self, tenant: str, referee_id: str, order_id: str, due_at: datetime
    ) -> bool: ...
    async def due(self, tenant: str, now: datetime, limit: int) -> list[Referral]: ...
    async def settle(
        self, tenant: str, referee_id: str, status: ReferralStatus, at: datetime
    ) -> bool: ...
    async def count_rewarded(self, tenant: str, referrer_id: str) -> int: ...


class OrderRepository(Protocol):
    async def insert(self, order: Order) -> tuple[Order, bool]: ...
    async def get(self, tenant: str, order_id: str) -> Order | None: ...
    async def add_refund(self, order: Order, refund: Refund) -> bool: ...
    async def member_orders_since(
        self, tenant: str, member_id: str, since: datetime | None, *, lines: bool = False
    ) -> list[PastOrder]:
        """Newest first; `since` None = all of them; categorised lines only with `lines`."""
        ...


class RewardRepository(Protocol):
    async def save(self, tenant: str, reward: Reward) -> None: ...
    async def get(self, tenant: str, reward_id: str) -> Reward | None: ...
    async def list(self, tenant: str, *, active_only: bool) -> list[Reward]: ...


class RedemptionRepository(Protocol):
    """Status changes are conditional (see mongo/redemptions.py): None means the redemption was
    not in a state the change may leave."""

    async def reserve(self, redemption: Redemption) -> Redemption: ...
    async def issue(self, tenant: str, redemption_id: str) -> Redemption | None: ...
    async def fail(
        self, tenant: str, redemption_id: str, attempt: int, *, final: bool
    ) -> Redemption | None: ...
    async def rearm(
        self,
        tenant: str,
        redemption_id: str,
        attempt: int,
        *,
        now: datetime,
        expires_at: datetime | None,
        sweep_at: datetime,
    ) -> Redemption | None: ...
    async def due_for_sweep(self, tenant: str, now: datetime, limit: int) -> list[Redemption]: ...
    async def get(self, tenant: str, redemption_id: str) -> Redemption | None: ...
    async def by_code(self, tenant: str, code: str) -> Redemption | None: ...
    async def mark_used(
        self, tenant: str, code: str, order_id: str, now: Any
    ) -> Redemption | None: ...
    # The coupon lifecycle (loyalty/usecases/coupons.py).
    async def close(
        self, tenant: str, redemption_id: str, status: RedemptionStatus, now: datetime
    ) -> Redemption | None:
        """ISSUED -> CANCELLED or EXPIRED, its points' return due now; None when it was not
        ISSUED (used, cancelled or expired already)."""
        ...

    async def returned(self, tenant: str, redemption_id: str, now: datetime) -> None: ...
    async def returns_due(self, tenant: str, now: datetime, limit: int) -> list[Redemption]:
        """Coupons whose points' return a crash may have left unfinished, oldest first."""
        ...

    async def expired_unused(self, tenant: str, now: datetime, limit: int) -> list[Redemption]: ...


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
    async def unfinished(self, tenant: str, scope: str, key: str) -> bool:
        """A claim exists and has no result: an earlier attempt stopped part way."""
        ...


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
    async def take_cap(
        self, tenant: str, counter: str, limit: int, holder: str, *, until: datetime | None = None
    ) -> bool:
        """Takes a place for `holder` if below `limit` (a holder's own place counts once); the
        counter is kept until `until` (None: for good)."""
        ...

    async def count(self, tenant: str, member_id: str, activity: str) -> int: ...


class BadgeRepository(Protocol):
    async def save(self, tenant: str, badge: Badge) -> None: ...
    async def get(self, tenant: str, badge_id: str) -> Badge | None: ...
    async def list(self, tenant: str) -> list[Badge]: ...


class EarnCampaignRepository(Protocol):
    async def save(self, tenant: str, campaign: EarnCampaign) -> None: ...
    async def get(self, tenant: str, campaign_id: str) -> EarnCampaign | None: ...
    async def ending_after(self, tenant: str, moment: datetime) -> list[EarnCampaign]: ...
    async def recent(self, tenant: str) -> list[EarnCampaign]:
        """Those ending after RECENT_CAMPAIGNS before now: what an order recorded now may
        have been placed in. Read on every order, so a cache may serve it."""
        ...


class BadgeAwardRepository(Protocol):
    async def insert(self, award: BadgeAward) -> tuple[BadgeAward, bool]: ...
    async def for_member(self, tenant: str, member_id: str) -> list[BadgeAward]: ...
    async def mark_settled(self, tenant: str, member_id: str, badge_id: str) -> None: ...


class MemberEventLog(Protocol):
    async def record(self, event: MemberEvent) -> bool: ...
    async def unhandled(
        self, tenant: str, consumer: str, kinds: Sequence[MemberEventKind], limit: int
    ) -> list[MemberEvent]: ...
    async def mark_handled(self, tenant: str, consumer: str, event_id: str) -> None: ...


class ThemeRepository(Protocol):
    async def save_draft(self, tenant: str, spec: ThemeSpec, now: datetime) -> ThemeDraft: ...
    async def set_draft_icons(
        self, tenant: str, icons: tuple[IconRef, ...], now: datetime
    ) -> ThemeDraft: ...
    async def draft(self, tenant: str) -> ThemeDraft | None: ...
    async def latest(self, tenant: str) -> ThemeVersion | None: ...
    async def version(self, tenant: str, version: int) -> ThemeVersion | None: ...
    async def insert_version(self, theme: ThemeVersion) -> bool:
        """False when that version number is already taken (a concurrent publish won)."""
        ...


@dataclass(frozen=True)
class StoredFile:
    content_type: str
    data: bytes


class FileStore(Protocol):
    async def put(self, tenant: str, name: str, content_type: str, data: bytes) -> None:
        """Content-addressed: storing the same name twice is a no-op."""
        ...

    async def get(self, tenant: str, name: str) -> StoredFile | None: ...


@dataclass(frozen=True)
class ImageHeader:
    format: str
    width: int
    height: int


@dataclass(frozen=True)
class Rendition:
    """One output image: `size` x `size` pixels; `content_scale` < 1 shrinks the artwork into
    a centred safe zone on a transparent canvas; `fill` paints a solid colour from the source
    instead of the artwork (adaptive icon backgrounds)."""

    platform: str
    size: int
    content_scale: float = 1.0
    fill: bool = False


@dataclass(frozen=True)
class RenderedIcons:
    has_transparency: bool
    files: tuple[tuple[Rendition, bytes], ...]


class ImageProcessor(Protocol):
    """Synchronous, CPU-bound: use cases run it in a worker thread. Raises DomainError
    IMAGE_UNSUPPORTED_FORMAT / IMAGE_CORRUPT for what cannot be read."""

    def read_header(self, data: bytes) -> ImageHeader: ...
    def render(self, data: bytes, renditions: Sequence[Rendition]) -> RenderedIcons: ...


class AnalyticsRepository(Protocol):
    """Aggregations for statistics; each one runs in the database on indexed fields."""

    async def points_by_type(self, tenant: str, period: StatsRange) -> dict[str, int]: ...
    async def order_totals(self, tenant: str, period: StatsRange) -> OrderTotals: ...
    async def active_members(self, tenant: str, period: StatsRange) -> int: ...
    async def new_members(self, tenant: str, period: StatsRange) -> int: ...
    async def member_groups(self, tenant: str) -> list[MemberGroup]: ...
    async def top_rewards(
        self, tenant: str, period: StatsRange, limit: int
    ) -> list[RewardCount]: ...
    async def series(
        self, tenant: str, period: StatsRange, edges: list[datetime]
    ) -> list[SeriesPoint]: ...


class ReservationRepository(Protocol):
    """Records of points held for carts (checkout with points). Status changes are
    conditional: only a HELD record settles, once."""

    async def insert(self, reservation: PointsReservation) -> PointsReservation:
        """Stores it unless its id is taken; returns the stored record either way."""
        ...

    async def get(self, tenant: str, reservation_id: str) -> PointsReservation | None: ...
    async def settle(
        self,
        tenant: str,
        reservation_id: str,
        status: ReservationStatus,
        at: datetime,
        order_id: str | None = None,
    ) -> PointsReservation | None:
        """HELD -> `status`; None when the record was not HELD (read it to see why)."""
        ...


class RewardClaims(Protocol):
    """Counters behind reward limits (loyalty.reward_limits): a bucket holds the ids of the
    redemptions that claimed it, so a claim and its release are each idempotent."""

    async def claim(self, tenant: str, key: str, limit: int, claim_id: str) -> bool:
        """Counts `claim_id` in the bucket unless it is full; True if it is counted (now or
        by an earlier call)."""
        ...

    async def release(self, tenant: str, key: str, claim_id: str) -> None: ...
    async def count(self, tenant: str, key: str) -> int: ...


class PointsMeter(Protocol):
    """Hears every ledger entry once, when it is applied (operators' metrics)."""

    def moved(self, tenant: str, entries: Sequence[LedgerEntry]) -> None: ...


class _Unmetered:
    def moved(self, tenant: str, entries: Sequence[LedgerEntry]) -> None:
        return None


UNMETERED: PointsMeter = _Unmetered()


@dataclass(frozen=True)
class Deps:
    tenants: TenantRepository
    api_keys: ApiKeyRepository
    members: MemberRepository
    standing: StandingRepository
    referrals: ReferralRepository
    leaderboards: LeaderboardRepository
    orders: OrderRepository
    rewards: RewardRepository
    redemptions: RedemptionRepository
    idempotency: IdempotencyRepository
    activities: ActivityRepository
    badges: BadgeRepository
    badge_awards: BadgeAwardRepository
    events: WalletEvents
    member_events: MemberEventLog
    themes: ThemeRepository
    files: FileStore
    images: ImageProcessor
    analytics: AnalyticsRepository
    directory: MemberDirectory
    history: MemberHistory
    exports: ExportSource
    clock: Clock
    devices: DeviceRepository
    preferences: PreferenceRepository
    outbox: Outbox
    campaigns: CampaignRepository
    cursors: JobCursors
    audiences: Audiences
    reservations: ReservationRepository
    earn_campaigns: EarnCampaignRepository
    reward_claims: RewardClaims
    # Issue 12: privacy, audit, gifting and charity.
    audit: AuditLog
    personal_data: PersonalData
    transfers: TransferRepository
    charities: CharityRepository
    bulk_jobs: BulkJobRepository
    # Outbound webhooks (issue 10).
    webhook_endpoints: WebhookEndpointRepository
    webhook_deliveries: WebhookDeliveryRepository
    # Store connections (issue 10). `secrets` is wired by api/ from LOYALTY_SECRET_KEY.
    store_connections: StoreConnectionRepository
    store_orders: StoreOrderRepository
    store_deliveries: DeliveryLog
    held_orders: HeldOrderRepository
    meter: PointsMeter = UNMETERED
    secrets: SecretBox = UNWIRED_SECRETS
