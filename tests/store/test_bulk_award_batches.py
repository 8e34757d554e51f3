"""Issue 12: the bulk award credits a page of members in a few database calls, with the single
write's guarantees: a wallet changed under the batch is credited once on its own, and a worker
that dies between the wallet writes and the ledger is resumed without a second credit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from pymongo.errors import AutoReconnect

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.bulk_jobs import Audience, BulkJob
from loyalty.clock import FrozenClock
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletChange, WalletState
from loyalty.ports import Deps, WalletOperation
from loyalty.tenants import Tenant
from loyalty.usecases import members, tenants
from loyalty.usecases.bulk_awards import award_points
from loyalty.usecases.bulk_jobs import run_bulk_jobs
from loyalty.usecases.moves import move_many
from loyalty.wallet import earn
from mongo.client import Database
from mongo.store import build_deps
from tests.faults.store_faults import Fault, FaultPlan, FaultyDatabase

MEMBERS = 50
# Per page: the audience cursor, the wallets' bulk write, the ledger insert and the synced
# marks (no ledger look-up: new wallets' recent operation ids prove the award absent); then the
# job's cursor (twice: the page ended on the audience's end). The rest is the job list, its
# start and two cached look-ups (rewards, webhook endpoints).
MAX_CALLS = 10
WHY = Reason("reason.adjust", text="test")


async def _tenant_with_members(deps: Deps, count: int) -> Tenant:
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    for i in range(count):
        await members.enrol(deps, created.tenant, f"c{i:02d}")
    found = await deps.tenants.get("acme")
    assert found is not None
    return found


async def _award(deps: Deps, tenant: Tenant, points: int = 50) -> BulkJob:
    return await award_points(
        deps,
        tenant,
        segment=None,
        tier_id=None,
        external_ids=None,
        points=points,
        reason="Sorry for the outage",
        idempotency_key="outage",
    )


class _FirstCallFails(FaultPlan):
    """Drops the connection before the first call of `method` on `collection`."""

    def __init__(self, collection: str, method: str) -> None:
        super().__init__(fault=Fault.AUTO_RECONNECT)
        self.target = (collection, method)

    async def run(
        self,
        collection: str,
        method: str,
        inserts: bool,
        perform: Callable[[], Awaitable[Any]],
    ) -> Any:
        if self.fired is None and (collection, method) == self.target:
            self.fault_at = len(self.calls) + 1
        return await super().run(collection, method, inserts, perform)


def _counted(database: Database, clock: FrozenClock, plan: FaultPlan) -> Deps:
    faulty = Database(client=None, db=FaultyDatabase(database.db, plan), is_memory=True)
    return build_deps(faulty, clock, WalletBroker(), images=PillowImages())


async def _books(database: Database) -> dict[str, tuple[int, int, int]]:
    """Per member: (wallet balance, sum of its ledger entries, its entries of the award)."""
    ledger: dict[str, tuple[int, int]] = {}
    async for doc in database.db["ledger"].find({"tenant": "acme"}):
        total, awards = ledger.get(doc["member_id"], (0, 0))
        ledger[doc["member_id"]] = (
            total + doc["balance_delta"],
            awards + doc["op_id"].startswith("bulk:"),
        )
    books = {}
    async for doc in database.db["members"].find({"tenant": "acme"}):
        total, awards = ledger.get(str(doc["_id"]), (0, 0))
        books[doc["external_id"]] = (doc["wallet"]["balance"], total, awards)
    return books


async def test_a_page_of_fifty_members_is_credited_in_a_few_database_calls(
    database: Database, clock: FrozenClock, deps: Deps
) -> None:
    # given fifty members and an award for everyone
    tenant = await _tenant_with_members(deps, MEMBERS)
    await _award(deps, tenant)
    # when a worker runs the job in pages of fifty, its database calls counted
    plan = FaultPlan()
    handled = await run_bulk_jobs(_counted(database, clock, plan), tenant, batch=MEMBERS)
    # then it took a handful of calls, not several per member, and each holds the points once
    assert handled == MEMBERS
    assert len(plan.calls) <= MAX_CALLS, [str(call) for call in plan.calls]
    assert await _books(database) == {f"c{i:02d}": (50, 50, 1) for i in range(MEMBERS)}
    unsynced = await database.db["members"].count_documents({"wallet.unsynced_seq": {"$gt": 0}})
    assert unsynced == 0


async def test_a_wallet_changed_under_the_batch_is_credited_once_on_its_own(
    deps: Deps,
) -> None:
    # given three members read for a page, then one of them earns 7 points elsewhere
    tenant = await _tenant_with_members(deps, 3)
    job = await _award(deps, tenant)
    assert job.audience.until_id is not None
    pages = deps.bulk_jobs.audience_pages("acme", job.audience, None, 10)
    reads = await anext(pages)
    await pages.aclose()
    changed = reads[1].member.id
    now = deps.clock.now()

    def earning(op_id: str, points: int) -> WalletOperation:
        def operation(state: WalletState) -> WalletChange:
            return earn(
                state,
                now,
                op_id=op_id,
                points=points,
                type_=TransactionType.ADJUST,
                reason=WHY,
                earned_at=now,
                available_at=now,
                expires_at=now + timedelta(days=30),
            )

        return operation

    await deps.members.apply("acme", changed, "elsewhere", earning("elsewhere", 7))
    # when the page is credited from those (now stale) reads
    done, failed = await move_many(
        deps, "acme", "bulk:x", [(read, earning("bulk:x", 50)) for read in reads]
    )
    # then all three hold the award once, and the member who earned keeps those points too
    assert failed == []
    assert sorted(applied.member.wallet.balance for applied in done) == [50, 50, 57]
    assert all(not applied.replayed for applied in done)
    books = await _books_by_id(deps, [read.member.id for read in reads])
    assert books == [(50, 50), (57, 57), (50, 50)]


async def _books_by_id(deps: Deps, member_ids: list[str]) -> list[tuple[int, int]]:
    """(wallet balance, sum of its ledger) per member, in the order given."""
    books = []
    for member_id in member_ids:
        member = await deps.members.get("acme", member_id)
        page = await deps.members.ledger_page("acme", member_id, None, 100)
        assert member is not None
        books.append((member.wallet.balance, sum(entry.balance_delta for entry in page)))
    return books


async def test_a_worker_dying_after_the_wallet_writes_is_resumed_without_a_second_credit(
    database: Database, clock: FrozenClock, deps: Deps
) -> None:
    # given fifty members and an award for everyone
    tenant = await _tenant_with_members(deps, MEMBERS)
    job = await _award(deps, tenant)
    # when the worker's connection drops right after the page's wallets were written (their
    # journals are not in the ledger yet)
    plan = _FirstCallFails("ledger", "insert_many")
    with pytest.raises(AutoReconnect):
        await run_bulk_jobs(_counted(database, clock, plan), tenant, batch=MEMBERS)
    assert plan.fired is not None and plan.calls[-2].method == "bulk_write"
    stored = await deps.bulk_jobs.get("acme", job.id)
    assert stored is not None and (stored.done, stored.cursor) == (0, None)
    # and a fresh worker takes the job over
    await run_bulk_jobs(deps, tenant, batch=MEMBERS)
    # then every member holds the points once, the ledger agrees, and no journal is left over
    assert await _books(database) == {f"c{i:02d}": (50, 50, 1) for i in range(MEMBERS)}
    unsynced = await database.db["members"].count_documents({"wallet.unsynced_seq": {"$gt": 0}})
    assert unsynced == 0
    finished = await deps.bulk_jobs.get("acme", job.id)
    assert finished is not None
    assert (finished.status.value, finished.done, finished.failed) == ("DONE", MEMBERS, 0)


async def test_an_audience_read_through_the_cursor_stops_at_the_high_water_mark(
    deps: Deps,
) -> None:
    # given five members, an audience fixed then, and a member who joined after
    tenant = await _tenant_with_members(deps, 5)
    everyone = Audience(until_id=await deps.bulk_jobs.highest_member_id(tenant.slug))
    await members.enrol(deps, tenant, "late")
    # when it is read in pages of two after the first member
    first = (await deps.bulk_jobs.audience_page("acme", everyone, None, 1))[0].member.id
    pages = [
        [read.member.external_id for read in page]
        async for page in deps.bulk_jobs.audience_pages("acme", everyone, first, 2)
    ]
    # then the pages follow member id order and leave out who joined later
    assert pages == [["c01", "c02"], ["c03", "c04"]]
