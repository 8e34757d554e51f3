"""The fault-injecting database wrapper, and the harness catching a retry that is not safe."""

from __future__ import annotations

from typing import Any

import pytest
from pymongo.errors import AutoReconnect, DuplicateKeyError, NetworkTimeout, NotPrimaryError

from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.moves import grant
from mongo.client import Database
from tests.faults.matrix import baseline, fault_point
from tests.faults.scenarios import Given, Scenario, alice
from tests.faults.store_faults import Fault, FaultPlan, FaultyDatabase


async def _counts(database: Database) -> int:
    return int(await database.db["things"].count_documents({}))


async def test_calls_are_numbered_across_collections_and_cursors(database: Database) -> None:
    # given
    plan = FaultPlan()
    db = FaultyDatabase(database.db, plan)
    # when
    await db["things"].insert_one({"_id": 1})
    await db["others"].find({}).sort("_id", 1).limit(5).to_list(None)
    await db["things"].update_one({"_id": 2}, {"$set": {"x": 1}}, upsert=True)
    async for _ in db["things"].find({}):
        pass
    # then
    assert [(c.number, c.collection, c.method, c.inserts) for c in plan.calls] == [
        (1, "things", "insert_one", True),
        (2, "others", "find", False),
        (3, "things", "update_one", True),
        (4, "things", "find", False),
    ]


@pytest.mark.parametrize(
    ("fault", "error", "applied"),
    [
        (Fault.AUTO_RECONNECT, AutoReconnect, 0),
        (Fault.NOT_PRIMARY, NotPrimaryError, 0),
        (Fault.TIMEOUT_AFTER_WRITE, NetworkTimeout, 1),
        (Fault.DUPLICATE_KEY, DuplicateKeyError, 1),
    ],
)
async def test_the_kth_call_fails_before_or_after_it_applies(
    database: Database, fault: Fault, error: type[Exception], applied: int
) -> None:
    # given a plan failing the second call
    db = FaultyDatabase(database.db, FaultPlan(fault=fault, fault_at=2))
    await db["things"].find_one({})
    # when / then
    with pytest.raises(error):
        await db["things"].insert_one({"_id": 1})
    assert await _counts(database) == applied
    await db["things"].insert_one({"_id": 2})  # later calls pass
    assert await _counts(database) == applied + 1


async def test_a_duplicate_key_only_fails_inserts_and_upserts(database: Database) -> None:
    # given a plan failing the first call with a duplicate key
    plan = FaultPlan(fault=Fault.DUPLICATE_KEY, fault_at=1)
    db = FaultyDatabase(database.db, plan)
    # when the first call cannot insert
    await db["things"].update_one({"_id": 1}, {"$set": {"x": 1}})
    # then it passes untouched
    assert plan.fired is None


async def _naive_credit(deps: Deps, tenant: Tenant, given: Given) -> Any:
    """Answers a replay from its idempotency record, but after a crash pays again under a new
    operation id (taken from the wallet, which the first attempt already moved)."""
    member = await deps.members.get_by_external_id(tenant.slug, "alice")
    assert member is not None
    claim = await deps.idempotency.claim(tenant.slug, "naive", "k-1", "x")
    if claim.result is not None:
        return claim.result["balance"]
    applied = await grant(
        deps,
        tenant,
        member.id,
        op_id=f"naive:{member.wallet.seq}",
        points=10,
        type_=TransactionType.ADJUST,
        reason=Reason("reason.adjust"),
        at=deps.clock.now(),
    )
    balance = applied.member.wallet.balance
    await deps.idempotency.complete(tenant.slug, "naive", "k-1", {"balance": balance})
    return balance


async def test_the_harness_reports_a_retry_that_pays_twice() -> None:
    # given a mutation that is not idempotent, and its clean run
    base = await baseline(Scenario("naive", alice, _naive_credit))
    assert base.problems == []
    # when the wallet write's answer is lost after it applied
    k = next(c.number for c in base.calls if c.collection == "members" and c.method == "update_one")
    problems = await fault_point(base, Fault.TIMEOUT_AFTER_WRITE, k)
    # then the double payment is reported
    assert "op naive:2 @ <member alice>: 1 ledger entries, clean run 0" in problems
    assert "retry answered differently:: 70, clean run 60" in problems
