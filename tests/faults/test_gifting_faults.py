"""The fault matrix (tests/faults/matrix.py) over transferPoints and donatePoints: failed at
each database call in turn with each kind of replica-set error, then retried with the same
input, each ends exactly as a clean run: both wallets changed once or neither, the transfer
record settled, the day's allowance counted once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from loyalty.clock import FrozenClock
from loyalty.gifting import Charity
from loyalty.gifting_policy import GiftingPolicy
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.tenants import Tenant
from loyalty.usecases import charities, members, transfers
from tests.faults import scenarios as base
from tests.faults.matrix import exercise
from tests.faults.scenarios import Given, Scenario
from tests.faults.store_faults import Fault


async def gifting_on(deps: Deps, clock: FrozenClock) -> None:
    """alice has 100 points, bob none; transfers on with a daily cap; one charity."""
    await base.alice_and_bob(deps, clock)
    tenant = await deps.tenants.get(base.SLUG)
    assert tenant is not None
    policy = GiftingPolicy(transfers_enabled=True, daily_cap=500, min_account_days=0)
    await deps.tenants.save_program(base.SLUG, replace(tenant.program, gifting=policy))
    await base._adjust(deps, tenant, "alice", 100, "setup-credit")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    await deps.charities.save(
        base.SLUG, Charity("ch_1", LocalizedText(ar="إنسان", en="Ensan"), None, True, at, at)
    )


async def transfer(deps: Deps, tenant: Tenant, given: Given) -> object:
    alice = await members.require_member(deps, tenant, "alice", ("token",))
    done = await transfers.transfer_points(
        deps, tenant, alice, to_external_id="bob", points=40, idempotency_key="tr-1"
    )
    return {"transfer": done.transfer, "balance": done.sender.wallet.balance}


async def donate(deps: Deps, tenant: Tenant, given: Given) -> object:
    alice = await members.require_member(deps, tenant, "alice", ("token",))
    after = await charities.donate_points(
        deps, tenant, alice, charity_id="ch_1", points=25, idempotency_key="dn-1"
    )
    return {"balance": after.wallet.balance}


SCENARIOS = (
    Scenario("transferPoints", gifting_on, transfer),
    Scenario("donatePoints", gifting_on, donate),
)


@pytest.mark.parametrize("fault", list(Fault), ids=[f.value for f in Fault])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_a_retry_after_a_fault_at_any_call_ends_as_a_clean_run(
    scenario: Scenario, fault: Fault
) -> None:
    # given a clean run of the mutation and the database calls it makes
    # when each of those calls in turn fails with `fault` and the client retries
    failures = await exercise(scenario, fault)
    # then each run ends as the clean run did
    assert failures == []
