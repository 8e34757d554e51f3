"""Two scheduler instances on the same job: the lease is renewed while the job runs, and an
instance whose lease was taken over anyway stops its job and leaves the new holder alone.
Renewals happen when the test says (the scheduler's sleep is replaced), not by timing."""

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
    # then A reports nothing, and its release left B's lease in place
    assert a_done == {}
    c, _ = worker(database, deps, "C", log, {})
    assert await c.tick() == {}
    b_pauses.open()
    assert await b_tick == {"count": 2}
    assert log == [
        "A starts acme",
        "B starts acme",
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
    # then B stayed out and A did the whole job
    assert b_done == {}
    assert await a_tick == {"count": 2}
    assert log == ["A starts acme", "A finishes acme", "A starts globex", "A finishes globex"]


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
    assert tokens == [{"_id": "count", "token": 2}]
