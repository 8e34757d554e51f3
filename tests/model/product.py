"""The product under test, driven through its use cases on the `memory://` store (or the real
MongoDB of LOYALTY_TEST_MONGODB_URI), and read back through its repositories."""

from __future__ import annotations

from dataclasses import dataclass, replace

from loyalty.clock import FrozenClock
from loyalty.errors import DomainError
from loyalty.ledger import LedgerEntry
from loyalty.lots import WalletState
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.program import ActivityType, EarningRuleKind, LimitPeriod, LocalizedText
from loyalty.rewards import RewardKind
from loyalty.tenants import Tenant
from loyalty.usecases import (
    activities,
    adjustments,
    members,
    order_refunds,
    orders,
    program,
    redemptions,
    rewards,
    tenants,
)
from loyalty.usecases.program import EarningRuleInput, ProgramChanges
from loyalty.usecases.settlement import settle_due_wallets
from mongo.client import Database
from mongo.wallets import wallet_from
from tests.model.operations import (
    ACTIVITY,
    AdjustPoints,
    ChangeProgram,
    Operation,
    RecordActivity,
    RecordOrder,
    RedeemReward,
    RefundOrder,
    Settings,
)
from tests.model.program_model import ModelTenant


@dataclass(frozen=True)
class Stored:
    """A member's wallet document and the ledger entries written since `after_seq`."""

    wallet: WalletState
    entries: list[LedgerEntry]


class Product:
    def __init__(self, deps: Deps, database: Database, clock: FrozenClock) -> None:
        self.deps = deps
        self.database = database
        self.clock = clock
        self.tenants: dict[str, Tenant] = {}
        self.members: dict[tuple[str, str], Member] = {}
        self.rewards: dict[tuple[str, str], str] = {}

    async def open(self, model: ModelTenant) -> None:
        created = await tenants.create_tenant(
            self.deps,
            slug=model.slug,
            name=model.slug,
            currency=model.currency,
            default_locale="en",
        )
        self.tenants[model.slug] = created.tenant
        await self._program(model.slug, model.settings, with_activity=True)
        for name, cost in model.rewards.items():
            reward = await rewards.upsert_reward(
                self.deps,
                self.tenants[model.slug],
                rewards.RewardInput(
                    id=None,
                    name=LocalizedText(en=name),
                    description=LocalizedText(),
                    cost=cost,
                    kind=RewardKind.FREE_SHIPPING,
                    value=None,
                    min_tier_id=None,
                    active=True,
                    coupon_valid_days=None,
                ),
            )
            self.rewards[(model.slug, name)] = reward.id
        for external_id in model.wallets:
            member = await members.enrol(self.deps, self.tenants[model.slug], external_id)
            self.members[(model.slug, external_id)] = member

    async def _program(self, slug: str, settings: Settings, *, with_activity: bool) -> None:
        rules: object = program.UNSET
        if with_activity:
            rules = [
                EarningRuleInput(
                    id="quiz",
                    kind=EarningRuleKind.ACTIVITY,
                    name=LocalizedText(en="Quiz"),
                    category=None,
                    sku=None,
                    multiplier=None,
                    bonus_points=None,
                    activity=ActivityType.CUSTOM,
                    custom_activity=ACTIVITY,
                    points=settings.activity_points,
                    limit=settings.activity_limit,
                    period=LimitPeriod(settings.activity_period),
                    active=True,
                )
            ]
        changes = ProgramChanges(
            timezone=settings.timezone,
            pending_days=settings.pending_days,
            expiry_months=settings.expiry_months,
            earn_rate=settings.earn_rate,
            earning_rules=rules,
        )
        try:
            await program.update_program(self.deps, self.tenants[slug], changes)
        except DomainError:
            months = settings.expiry_months
            if not with_activity or months is None or settings.pending_days < 28 * months:
                raise
            # A tenant whose settings predate their validation: written as they were.
            valid = replace(changes, pending_days=0)
            updated = await program.update_program(self.deps, self.tenants[slug], valid)
            legacy = replace(updated, pending_days=settings.pending_days)
            await self.deps.tenants.save_program(slug, legacy)
        tenant = await self.deps.tenants.get(slug)
        assert tenant is not None
        self.tenants[slug] = tenant

    async def apply(self, op: Operation) -> str | None:
        """The refusal's code, or None when the operation was accepted."""
        try:
            await self._apply(op)
        except DomainError as refusal:
            return refusal.code.value
        return None

    async def _apply(self, op: Operation) -> None:
        deps = self.deps
        if isinstance(op, RecordOrder):
            tenant = self.tenants[op.tenant]
            await orders.record_order(
                deps,
                tenant,
                member_external_id=op.member,
                order_id=op.order_id,
                total=op.total,
                currency=tenant.program.currency,
                items=None,
                placed_at=op.placed_at,
            )
        elif isinstance(op, RefundOrder):
            await order_refunds.refund_order(
                deps,
                self.tenants[op.tenant],
                order_id=op.order_id,
                amount=op.amount,
                idempotency_key=op.key,
            )
        elif isinstance(op, AdjustPoints):
            await adjustments.adjust_points(
                deps,
                self.tenants[op.tenant],
                member_external_id=op.member,
                points=op.points,
                reason=op.reason,
                idempotency_key=op.key,
            )
        elif isinstance(op, RedeemReward):
            await redemptions.redeem_reward(
                deps,
                self.tenants[op.tenant],
                self.members[(op.tenant, op.member)],
                reward_id=self.rewards[(op.tenant, op.reward)],
                idempotency_key=op.key,
            )
        elif isinstance(op, RecordActivity):
            await activities.record_activity(
                deps,
                self.tenants[op.tenant],
                self.members[(op.tenant, op.member)],
                ActivityType.CUSTOM,
                op.key,
                op.occurred_at,
                ACTIVITY,
            )
        elif isinstance(op, ChangeProgram):
            await self._program(op.tenant, op.settings, with_activity=False)
        else:
            raise AssertionError(f"not a product operation: {op}")

    async def tick(self) -> None:
        """The scheduler's settlement job, tenant after tenant."""
        for slug in self.tenants:
            await settle_due_wallets(self.deps, slug)

    async def stored(self, slug: str, after: dict[str, int]) -> dict[str, Stored]:
        """The wallets of the tenant's members named in `after` (one read), each with the
        ledger entries after the seq given there."""
        found: dict[str, Stored] = {}
        query = {"tenant": slug, "external_id": {"$in": sorted(after)}}
        skip = {"wallet.journal": 0, "wallet.recent_ops": 0}
        async for doc in self.database.db["members"].find(query, skip):
            found[doc["external_id"]] = Stored(wallet_from(doc.get("wallet")), [])
        for external_id, seq in after.items():
            wallet = found[external_id].wallet
            if wallet.seq > seq:
                member_id = self.members[(slug, external_id)].id
                # Through the history port: it first copies a journal the ledger may lack.
                page = await self.deps.members.ledger_page(slug, member_id, None, wallet.seq - seq)
                entries = sorted((e for e in page if e.seq > seq), key=lambda e: e.seq)
                found[external_id] = Stored(wallet, entries)
        return found
