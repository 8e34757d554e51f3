"""Migrating one member from another loyalty app: the member with their original join date
and contact details, their balance as MIGRATED lots with the original dates, the lifetime
spend their tier needs (kept as one past order), then their tier and segment.

Every step is repeatable: enrolment finds the member by external id, the balance is the
wallet operation `migrate` (once per member, ever), the spend order has a fixed id, and tier
and segment are recomputed from what is stored. A worker that crashed half way through a
member simply does them again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from loyalty.errors import DomainError
from loyalty.import_rows import MigratedLot, MigratedMember
from loyalty.ledger import LedgerEntry, Reason, TransactionType
from loyalty.lots import WalletChange, WalletState
from loyalty.members import Member, new_code
from loyalty.orders import Order
from loyalty.ports import Deps, WalletOperation
from loyalty.tenants import Tenant
from loyalty.usecases.members import REFERRAL_CODE_LENGTH
from loyalty.usecases.moves import move_many
from loyalty.usecases.segments import rescore
from loyalty.usecases.tiers import reevaluate
from loyalty.wallet import earn

OP_ID = "migrate"
REASON = Reason("reason.migrated")


def _lots(tenant: Tenant, m: MigratedMember, now: datetime) -> tuple[MigratedLot, ...]:
    if m.lots or m.points == 0:
        return m.lots
    # A balance without its lots: earned when the member joined; it expires as the program's
    # points do, counted from the migration (nobody loses points on migration day).
    return (MigratedLot(m.points, m.joined_at, tenant.program.expires_at(now)),)


def migrated(state: WalletState, now: datetime, lots: tuple[MigratedLot, ...]) -> WalletChange:
    """One MIGRATED entry per lot, dated when the lot was earned."""
    entries: list[LedgerEntry] = []
    for lot in lots:
        change = earn(
            state,
            now,
            op_id=OP_ID,
            points=lot.points,
            type_=TransactionType.MIGRATED,
            reason=REASON,
            earned_at=lot.earned_at,
            available_at=lot.earned_at,
            expires_at=lot.expires_at,
        )
        state = change.state
        entries.extend(change.entries)
    return WalletChange(state, tuple(entries))


def _candidate(tenant: Tenant, m: MigratedMember) -> Member:
    return Member(
        id="",
        tenant=tenant.slug,
        external_id=m.external_id,
        locale=tenant.program.default_locale,
        joined_at=m.joined_at,
        referral_code=new_code(REFERRAL_CODE_LENGTH),
        display_name=m.name,
        email=m.email,
        phone=m.phone,
        birthday=m.birthday,  # stored only when this enrols them
    )


async def migrate_members(deps: Deps, tenant: Tenant, ms: Sequence[MigratedMember]) -> int:
    """A page of rows in a few round trips: one enrolment of the page (a member already there
    keeps their profile and is not enrolled again), one wallet batch of their balances; then
    the lifetime spend, tier and segment of each member that needs them. Returns how many
    were migrated (the others are gone, or their wallet stayed contended)."""
    now = deps.clock.now()
    rows = {m.external_id: m for m in ms}
    candidates = [_candidate(tenant, m) for m in ms]
    enrolled = await deps.members.enrol_many(tenant.slug, candidates)
    work = []
    for read, _ in enrolled:
        lots = _lots(tenant, rows[read.member.external_id], now)
        if lots:
            work.append((read, _migrated_op(now, lots)))
    _, failed = await move_many(deps, tenant.slug, OP_ID, work)
    done = 0
    for read, _ in enrolled:
        if read.member.id in failed:
            continue
        try:
            await _standing(deps, tenant, read.member, rows[read.member.external_id])
        except DomainError:
            continue
        done += 1
    return done


def _migrated_op(now: datetime, lots: tuple[MigratedLot, ...]) -> WalletOperation:
    return lambda state: migrated(state, now, lots)


async def _standing(deps: Deps, tenant: Tenant, member: Member, m: MigratedMember) -> None:
    """The lifetime spend as one past order, then tier and segment from what is stored."""
    if m.lifetime_spend:
        order = Order(
            tenant=tenant.slug,
            order_id=f"migrated:{m.external_id}",
            member_id=member.id,
            total=m.lifetime_spend,
            currency=tenant.program.currency,
            lines=(),
            placed_at=m.joined_at,
            points=0,
            pending=False,
            request_hash=OP_ID,
        )
        await deps.orders.insert(order)
        await rescore(deps, tenant, member.id)
    if tenant.program.tiers:
        await reevaluate(deps, tenant, member.id, scheduled=False)
