"""Issue 12: an import's worker migrates a page of rows in a few database calls: one enrolment
of the page, one wallet batch of the balances; members already there are not enrolled again
and get their balance once; a referral code that collides costs only that member a retry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.import_rows import MigratedLot, MigratedMember
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import members, tenants
from loyalty.usecases.migration import migrate_members
from mongo.client import Database
from mongo.store import build_deps
from tests.faults.store_faults import FaultPlan, FaultyDatabase

ROWS = 50
JOINED = datetime(2023, 2, 1, tzinfo=UTC)
EARNED = datetime(2025, 6, 1, tzinfo=UTC)
# The enrolment's insert and read, the wallets' bulk write, the ledger insert and the synced
# marks (no ledger look-up: the new wallets' recent operation ids prove the migration
# absent), plus the (cached) active rewards, read once.
MAX_CALLS = 6


def _row(i: int, points: int = 150) -> MigratedMember:
    return MigratedMember(
        external_id=f"c{i:02d}",
        joined_at=JOINED,
        points=points,
        lots=(MigratedLot(points, EARNED, EARNED + timedelta(days=365)),),
        name=f"سارة {i}",
        birthday=date(1990, 5, 1),
    )


async def _tenant(deps: Deps) -> Tenant:
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="ar"
    )
    return created.tenant


async def _books(database: Database) -> dict[str, tuple[int, int, str | None, str | None]]:
    """Per member: (wallet balance, sum of its ledger, birthday, display name)."""
    ledger: dict[str, int] = {}
    async for doc in database.db["ledger"].find({"tenant": "acme"}):
        ledger[doc["member_id"]] = ledger.get(doc["member_id"], 0) + doc["balance_delta"]
    return {
        doc["external_id"]: (
            doc["wallet"]["balance"],
            ledger.get(str(doc["_id"]), 0),
            doc.get("birthday"),
            doc.get("display_name"),
        )
        async for doc in database.db["members"].find({"tenant": "acme"})
    }


async def test_a_page_of_fifty_rows_is_migrated_in_a_few_database_calls(
    database: Database, clock: FrozenClock, deps: Deps
) -> None:
    # given a tenant and fifty rows
    tenant = await _tenant(deps)
    plan = FaultPlan()
    faulty = Database(client=None, db=FaultyDatabase(database.db, plan), is_memory=True)
    counted = build_deps(faulty, clock, WalletBroker(), images=PillowImages())
    # when they are migrated as one page
    done = await migrate_members(counted, tenant, [_row(i) for i in range(ROWS)])
    # then each member is there with their balance, birthday and name, in a handful of calls
    assert done == ROWS
    assert len(plan.calls) <= MAX_CALLS, [str(call) for call in plan.calls]
    assert await _books(database) == {
        f"c{i:02d}": (150, 150, "1990-05-01", f"سارة {i}") for i in range(ROWS)
    }


async def test_members_already_there_keep_their_profile_and_get_their_balance_once(
    database: Database, deps: Deps
) -> None:
    # given one member who joined through the app, and a page migrated once already
    tenant = await _tenant(deps)
    await members.enrol(deps, tenant, "c00")
    await migrate_members(deps, tenant, [_row(1), _row(2)])
    # when a page with all three is migrated (the second page of a resumed job, a second file)
    done = await migrate_members(deps, tenant, [_row(0), _row(1), _row(2)])
    # then all three count as migrated, the app member kept their profile, nobody got twice
    assert done == 3
    assert await _books(database) == {
        "c00": (150, 150, None, None),
        "c01": (150, 150, "1990-05-01", "سارة 1"),
        "c02": (150, 150, "1990-05-01", "سارة 2"),
    }


async def test_a_referral_code_collision_costs_only_that_member_a_retry(
    database: Database, deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a page whose candidates all drew the same referral code
    tenant = await _tenant(deps)
    monkeypatch.setattr("loyalty.usecases.migration.new_code", lambda length: "SAME0001")
    # when it is migrated
    done = await migrate_members(deps, tenant, [_row(i) for i in range(3)])
    # then all three are enrolled, with distinct codes, and credited once
    assert done == 3
    members = database.db["members"].find({"tenant": "acme"}, {"referral_code": 1})
    codes = {doc["referral_code"] async for doc in members}
    assert len(codes) == 3 and "SAME0001" in codes
    books = await _books(database)
    assert {key: value[:2] for key, value in books.items()} == {
        "c00": (150, 150),
        "c01": (150, 150),
        "c02": (150, 150),
    }
