"""Scheduler instances on the same job: one lease per (job, tenant), renewed while the job runs
for that tenant; an instance whose lease was taken over anyway stops that run and leaves the
new holder alone, and meanwhile goes on with the tenants nobody holds. Renewals happen when the
test says (the scheduler's sleep is replaced), not by timing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from api.scheduler import Job, Scheduler
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import tenants
from mongo.client import Database
from tests.interleave import Gate, until_stopped


class Beats:
    """Stands in for the sleep between lease renewals: each `beat()` ends one nap."""

    def __init__(self) -> None:
        self.napping = asyncio.Event()
        self._naps: asyncio.Queue[None] = asyncio.Queue()

    async def sleep(self, seconds: float) -> None:
        self.napping.set()
        await self._naps.get()

    def beat(self) -> None:
        self.napping.clear()
        self._naps.put_nowait(None)


def worker(
    database: Database, deps: Deps, name: str, log: list[str], gates: dict[str, Gate]
) -> tuple[Scheduler, Beats]:
    """A scheduler with one job that logs each tenant it starts and finishes."""

    async def job(deps: Deps, tenant: Tenant) -> int:
        log.append(f"{name} starts {tenant.slug}")
        if tenant.slug in gates:
            await gates[tenant.slug].stop()
        log.append(f"{name} finishes {tenant.slug}")
        return 1

    scheduler = Scheduler(database, deps, interval=60)
    counting: Job = job
    scheduler.jobs = [("count", counting)]
    beats = Beats()
    scheduler.sleep = beats.sleep
    return scheduler, beats


async def two_tenants(deps: Deps) -> None:
    for slug in ("acme", "globex"):
        await tenants.create_tenant(deps, slug=slug, name=slug, currency="SAR", default_locale="en")


async def test_an_instance_taken_over_stops_its_job_and_leaves_the_lease_alone(
    database: Database, deps: Deps, clock: FrozenClock
) -> None:
    # given instance A's job hangs in acme, without renewing, past the lease's time to live
    await two_tenants(deps)
    log: list[str] = []
    a_hangs, b_pauses = Gate(), Gate()
    a, a_beats = worker(database, deps, "A", log, {"acme": a_hangs})
    b, _ = worker(database, deps, "B", log, {"acme": b_pauses})
    a_tick = asyncio.create_task(a.tick())
    await until_stopped(a_tick, a_hangs)
    clock.advance(a.ttl + timedelta(seconds=1))
    # when instance B takes the lease over, then A's renewal comes due
    b_tick = asyncio.create_task(b.tick())
    await until_stopped(b_tick, b_pauses)
    a_beats.beat()
    a_done = await asyncio.wait_for(a_tick, timeout=5)  # the guard only bounds a failure
    a_hangs.open()  # too late: A's job was stopped where it hung
    # then A reports only globex, and its release left B's lease on acme in place
    assert a_done == {"count": 1}
    c, _ = worker(database, deps, "C", log, {})
    assert await c.tick() == {"count": 1}
    b_pauses.open()
    assert await b_tick == {"count": 2}
    assert log == [
        "A starts acme",
        "B starts acme",
        "A starts globex",
        "A finishes globex",
        "C starts globex",
        "C finishes globex",
        "B finishes acme",
        "B starts globex",
        "B finishes globex",
    ]


async def test_a_renewed_lease_keeps_a_second_instance_out(
    database: Database, deps: Deps, clock: FrozenClock
) -> None:
    # given instance A's job is slow in acme; its lease is renewed just before it lapses
    await two_tenants(deps)
    log: list[str] = []
    slow = Gate()
    a, a_beats = worker(database, deps, "A", log, {"acme": slow})
    a_tick = asyncio.create_task(a.tick())
    await until_stopped(a_tick, slow)
    clock.advance(a.ttl - timedelta(seconds=1))
    a_beats.beat()
    # renewed, and waiting for the next renewal (the guard only bounds a failure)
    await asyncio.wait_for(a_beats.napping.wait(), timeout=5)
    # when instance B ticks after the first lease would have lapsed
    clock.advance(timedelta(seconds=2))
    b, _ = worker(database, deps, "B", log, {})
    b_done = await b.tick()
    slow.open()
    # then B stayed out of acme and did globex meanwhile
    assert b_done == {"count": 1}
    assert await a_tick == {"count": 2}
    assert log == [
        "A starts acme",
        "B starts globex",
        "B finishes globex",
        "A finishes acme",
        "A starts globex",
        "A finishes globex",
    ]


async def test_a_finished_job_frees_its_lease_for_the_next_tick(
    database: Database, deps: Deps
) -> None:
    # given
    await two_tenants(deps)
    log: list[str] = []
    a, _ = worker(database, deps, "A", log, {})
    b, _ = worker(database, deps, "B", log, {})
    # when
    first, second = await a.tick(), await b.tick()
    # then
    assert (first, second) == ({"count": 2}, {"count": 2})
    tokens = await database.db["leases"].find({}, {"_id": 1, "token": 1}).to_list(None)
    assert sorted(tokens, key=lambda t: t["_id"]) == [
        {"_id": "acme:count", "token": 2},
        {"_id": "globex:count", "token": 2},
    ]


async def test_two_instances_share_a_tick_and_never_run_one_job_for_one_tenant_at_once(
    database: Database, deps: Deps
) -> None:
    # given six tenants and two jobs that yield while they run, on two instances
    slugs = [f"shop-{n}" for n in range(6)]
    for slug in slugs:
        await tenants.create_tenant(deps, slug=slug, name=slug, currency="SAR", default_locale="en")
    running: set[tuple[str, str]] = set()
    overlaps: list[tuple[str, str]] = []
    ran: dict[str, set[tuple[str, str]]] = {"A": set(), "B": set()}

    def job_of(name: str, instance: str) -> Job:
        async def job(deps: Deps, tenant: Tenant) -> int:
            key = (name, tenant.slug)
            if key in running:
                overlaps.append(key)
            running.add(key)
            for _ in range(3):
                await asyncio.sleep(0)
            running.discard(key)
            ran[instance].add(key)
            return 1

        return job

    schedulers = []
    for instance in ("A", "B"):
        scheduler = Scheduler(database, deps, interval=60)
        scheduler.jobs = [(name, job_of(name, instance)) for name in ("settle", "push")]
        schedulers.append(scheduler)
    # when both tick at once
    await asyncio.gather(*(s.tick() for s in schedulers))
    # then no (job, tenant) ran on both at once, both ran each job (for different tenants),
    # and every (job, tenant) ran
    assert overlaps == []
    for job in ("settle", "push"):
        assert {slug for name, slug in ran["A"] if name == job}
        assert {slug for name, slug in ran["B"] if name == job}
    assert ran["A"] | ran["B"] == {(job, slug) for job in ("settle", "push") for slug in slugs}


async def test_push_send_runs_on_every_instance_at_once_without_a_lease(
    database: Database, deps: Deps
) -> None:
    # given one tenant and two instances whose push-send job waits until both are in it
    await tenants.create_tenant(deps, slug="acme", name="acme", currency="SAR", default_locale="en")
    running: list[str] = []
    both = asyncio.Event()

    def push_send(instance: str) -> Job:
        async def job(deps: Deps, tenant: Tenant) -> int:
            running.append(instance)
            if len(running) == 2:
                both.set()
            # (with a lease the other instance would skip the tenant: this would time out)
            await asyncio.wait_for(both.wait(), timeout=10)
            return 1

        return job

    schedulers = []
    for instance in ("A", "B"):
        scheduler = Scheduler(database, deps, interval=60)
        scheduler.jobs = [("push-send", push_send(instance))]
        schedulers.append(scheduler)
    # when both tick at once
    done = await asyncio.gather(*(s.tick() for s in schedulers))
    # then both drained the tenant at the same time (the rows' claims keep them apart), and
    # no lease was taken for it
    assert done == [{"push-send": 1}, {"push-send": 1}]
    assert sorted(running) == ["A", "B"]
    assert await database.db["leases"].count_documents({}) == 0
