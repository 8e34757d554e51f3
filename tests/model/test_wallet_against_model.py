"""A year of random days, on several tenants in time zones with DST: after every operation
and every scheduler tick the product's wallets, lots and ledger must equal the model's.

`LOYALTY_MODEL_SEED=<n>` runs that seed alone; `pytest -m slow tests/model` runs the long
variant (more members, two years, busier days)."""

from __future__ import annotations

import os

import pytest

from loyalty import wallet
from loyalty.clock import FrozenClock
from loyalty.lots import Lot
from loyalty.ports import Deps
from mongo.client import Database
from tests.model.product import Product
from tests.model.run import ModelMismatch, Runner
from tests.model.scenario import Scenario, Size

DEFAULT_SEEDS = (1, 2, 3)
# Sized for the suite (about 5 s a seed on the in-memory store, where every write costs
# milliseconds); the slow variant has more members, two years and busier days.
DEFAULT = Size(tenants=5, members=2, days=365, ops_per_tenant_day=0.09, tick_chance=0.1)
LONG = Size(tenants=5, members=6, days=730, ops_per_tenant_day=0.6, tick_chance=0.5)


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
    assert report.operations > 1500


def _spend_latest_expiry_first(lot: Lot) -> tuple[int, float, str]:
    return (
        0 if lot.expires_at is None else 1,
        -(lot.expires_at or lot.earned_at).timestamp(),
        lot.id,
    )


async def test_a_product_spending_the_latest_expiry_first_is_caught(
    deps: Deps, database: Database, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a product that spends its lots in the wrong order
    monkeypatch.setattr(wallet, "_spend_order", _spend_latest_expiry_first)
    runner = Runner(Scenario(DEFAULT_SEEDS[0], DEFAULT), Product(deps, database, clock), clock)
    # when the scenario runs, then the first wrong lot list stops it, saying where
    with pytest.raises(ModelMismatch) as caught:
        await runner.run()
    assert f"seed {DEFAULT_SEEDS[0]}, day " in str(caught.value)
    assert "lots (points, remaining" in str(caught.value)


async def test_a_product_releasing_points_one_instant_late_is_caught(
    deps: Deps, database: Database, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a product that still shows points as pending at the very moment they are due
    monkeypatch.setattr(Lot, "is_pending", lambda lot, now: lot.available_at >= now)
    runner = Runner(Scenario(DEFAULT_SEEDS[0], DEFAULT), Product(deps, database, clock), clock)
    # when the scenario runs, then an operation or tick placed on that moment shows it
    with pytest.raises(ModelMismatch) as caught:
        await runner.run()
    assert "now: model" in str(caught.value)
