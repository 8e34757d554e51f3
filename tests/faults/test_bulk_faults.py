"""The fault matrix (tests/faults/matrix.py) over bulk work: awardPoints and importMembers (a
real run), and the scheduler's batches that carry them out. Each is failed at every database
call in turn with each kind of replica-set error, then retried (the same request, or the next
tick of the job): every member is credited or migrated exactly once, the job's counts are the
clean run's, and every wallet equals its ledger."""

from __future__ import annotations

import io

import pytest

from graphql_schema.uploads import UploadedText
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from loyalty.segments import Segment
from loyalty.tenants import Tenant
from loyalty.usecases import bulk_awards, bulk_jobs, imports, members
from tests.faults import scenarios as base
from tests.faults.matrix import exercise
from tests.faults.scenarios import Given, Scenario
from tests.faults.store_faults import Fault

# Small pages, so that a fault can land between two of them.
BATCH = 2
FILE = (
    "external_id,name,phone,email,birthday,joined_at,points,lifetime_spend,"
    "lot1_points,lot1_earned_at,lot1_expires_at,lot2_points,lot2_earned_at\n"
    "m-1,سارة العتيبي,0501234567,sara@example.com,1990-05-01,2023-02-01,120,700,"
    "100,2025-06-01,2026-06-01,20,2025-12-01\n"
    "m-2,Omar,+966 55 765 4321,,,2024-06-30,0,,,,,,\n"
    "m-3,Huda,,,2001-02-28,2025-01-10,35,,35,2025-11-01,,,\n"
).encode()


class _Upload:
    def __init__(self, data: bytes) -> None:
        self.file = io.BytesIO(data)


async def _award(deps: Deps, tenant: Tenant) -> object:
    return await bulk_awards.award_points(
        deps,
        tenant,
        segment=Segment.NEW,
        tier_id=None,
        external_ids=None,
        points=50,
        reason="Sorry for the outage",
        idempotency_key="aw-1",
    )


async def _import(deps: Deps, tenant: Tenant) -> object:
    return await imports.import_members(deps, tenant, UploadedText(_Upload(FILE)), dry_run=False)


async def three_members(deps: Deps, clock: FrozenClock) -> None:
    tenant = await base._tenant(deps)
    for external_id in ("alice", "bob", "carol"):
        await members.enrol(deps, tenant, external_id)


async def award_accepted(deps: Deps, clock: FrozenClock) -> None:
    await three_members(deps, clock)
    tenant = await deps.tenants.get(base.SLUG)
    assert tenant is not None
    await _award(deps, tenant)


async def import_accepted(deps: Deps, clock: FrozenClock) -> None:
    tenant = await base._tenant(deps)
    await _import(deps, tenant)


async def award(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await _award(deps, tenant)


async def import_file(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await _import(deps, tenant)


async def jobs_tick(deps: Deps, tenant: Tenant, given: Given) -> object:
    await bulk_jobs.run_bulk_jobs(deps, tenant, batch=BATCH)
    return None  # a tick's count depends on what an earlier attempt did: state is compared


SCENARIOS = (
    Scenario("awardPoints", three_members, award),
    Scenario("job:bulkAward", award_accepted, jobs_tick),
    Scenario("importMembers(real run)", base.just_the_program, import_file),
    Scenario("job:importMembers", import_accepted, jobs_tick),
)


@pytest.mark.parametrize("fault", list(Fault), ids=[f.value for f in Fault])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_a_retry_after_a_fault_at_any_call_ends_as_a_clean_run(
    scenario: Scenario, fault: Fault
) -> None:
    # given a clean run of the request (or job tick) and the database calls it makes
    # when each of those calls in turn fails with `fault` and it is retried
    failures = await exercise(scenario, fault)
    # then each run ends as the clean run did
    assert failures == []
