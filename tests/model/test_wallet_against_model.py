"""A year of random days, on several tenants in time zones with DST: after every operation
and every scheduler tick the product's wallets, lots and ledger must equal the model's.

`LOYALTY_MODEL_SEED=<n>` runs that seed alone; `pytest -m slow tests/model` runs the long
variant (more members, two years, busier days)."""

from __future__ import annotations

import os

import pytest

from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from mongo.client import Database
from tests.model.product import Product
from tests.model.run import Runner
from tests.model.scenario import Scenario, Size

DEFAULT_SEEDS = (1, 2, 3)
# Sized for the suite (about 5 s a seed on the in-memory store, where every write costs
# milliseconds); the slow variant has more members, two years and busier days.
DEFAULT = Size(tenants=5, members=2, days=365, ops_per_tenant_day=0.09, tick_chance=0.1)
LONG = Size(tenants=5, members=6, days=730, ops_per_tenant_day=1.0, tick_chance=0.5)


def seeds(defaults: tuple[int, ...]) -> tuple[int, ...]:
    chosen = os.environ.get("LOYALTY_MODEL_SEED")
    return (int(chosen),) if chosen else defaults


@pytest.mark.parametrize("seed", seeds(DEFAULT_SEEDS))
async def test_a_year_of_random_days_matches_the_model(
    seed: int, deps: Deps, database: Database, clock: FrozenClock
) -> None:
    # given a random scenario
    runner = Runner(Scenario(seed, DEFAULT), Product(deps, database, clock), clock)
    # when it runs, then every check along the way passed
    report = await runner.run()
    print(f"seed {seed}: {report}")
    assert report.operations > 100 and report.ticks > 40


@pytest.mark.slow
@pytest.mark.parametrize("seed", seeds((101, 102)))
async def test_two_busy_years_match_the_model(
    seed: int, deps: Deps, database: Database, clock: FrozenClock
) -> None:
    runner = Runner(Scenario(seed, LONG), Product(deps, database, clock), clock)
    report = await runner.run()
    print(f"seed {seed}: {report}")
    assert report.operations > 3000
