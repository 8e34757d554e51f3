"""Redemptions a crash left unsettled: the sweeper settles them against the ledger, and a retry
with the same key finishes the first attempt exactly once (same coupon, points charged once)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from api.scheduler import Scheduler
from loyalty.rewards import SWEEP_GRACE, TAKE_WINDOW
from loyalty.usecases import redemptions
from loyalty.usecases.redemption_sweep import settle, sweep_redemptions
from mongo.client import Database
from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.test_redeem_reward import (
    COUPON,
    REDEEM,
    create_reward,
    redeem,
    redeems,
    stored_redemptions,
    wallet,
)


class Crash(Exception):
    """The process dies here."""


def crashing(*_: Any, **__: Any) -> Awaitable[Any]:
    raise Crash


async def crash_after_take(
    api: Api, creds: TenantCreds, reward_id: str, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Redeems, dying after the points were taken and before the coupon was issued."""
    with monkeypatch.context() as patch:
        patch.setattr(api.deps.redemptions, "issue", crashing)
        await crashed_redeem(api, creds, reward_id)
    return await only_coupon(api, "RESERVED")


async def crash_before_take(
    api: Api, creds: TenantCreds, reward_id: str, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Redeems, dying after the reservation and before the points were taken."""
    with monkeypatch.context() as patch:
        patch.setattr(redemptions, "move", crashing)
        await crashed_redeem(api, creds, reward_id)
    return await only_coupon(api, "RESERVED")


async def crashed_redeem(api: Api, creds: TenantCreds, reward_id: str, member: str = "c1") -> None:
    """The member sees an unexpected error (the request died)."""
    variables = {"input": {"rewardId": reward_id, "idempotencyKey": "k1"}}
    body = await api.gql(REDEEM, variables, token=creds.member_token(api, member))
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL_SERVER_ERROR"]


async def only_coupon(api: Api, status: str) -> str:
    [record] = await stored_redemptions(api)
    assert record["status"] == status
    code: str = record["coupon_code"]
    return code


async def coupon_status(api: Api, creds: TenantCreds, code: str) -> str | None:
    body = await api.gql(COUPON, {"code": code}, token=creds.events)
    coupon = body["data"]["coupon"]["coupon"]
    return None if coupon is None else str(coupon["status"])


async def ledger_matches_wallet(api: Api, creds: TenantCreds) -> tuple[int, list[int]]:
    balance, pending, _, nodes = await wallet(api, creds)
    assert pending == 0
    assert sum(node["points"] for node in nodes) == balance
    return balance, [node["points"] for node in redeems(nodes)]


Sweep = Callable[[], Awaitable[int]]


@pytest.fixture
def sweep(api: Api, acme: TenantCreds) -> Sweep:
    async def run() -> int:
        tenant = await api.deps.tenants.get(acme.slug)
        assert tenant is not None
        return await sweep_redemptions(api.deps, tenant)

    return run


async def test_sweeper_issues_the_coupon_whose_points_were_taken(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch, sweep: Sweep
) -> None:
    # given a crash between taking the points and issuing the coupon
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    code = await crash_after_take(api, acme, reward_id, monkeypatch)
    assert await ledger_matches_wallet(api, acme) == (50, [-100])
    assert await coupon_status(api, acme, code) is None
    # when the sweeper runs within the grace, then after it
    api.clock.advance(SWEEP_GRACE - timedelta(seconds=1))
    early = await sweep()
    api.clock.advance(timedelta(seconds=1))
    settled = await sweep()
    # then the coupon is issued, once, and the points were taken once
    assert (early, settled, await sweep()) == (0, 1, 0)
    assert await coupon_status(api, acme, code) == "ISSUED"
    assert await ledger_matches_wallet(api, acme) == (50, [-100])
    [record] = await stored_redemptions(api)
    assert (record["status"], record["points_spent"], record["sweep_at"]) == ("ISSUED", 100, None)


async def test_sweeper_fails_a_reservation_that_took_no_points(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch, sweep: Sweep
) -> None:
    # given a crash between the reservation and taking the points
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    code = await crash_before_take(api, acme, reward_id, monkeypatch)
    # when
    api.clock.advance(SWEEP_GRACE)
    settled = await sweep()
    # then
    assert (settled, await sweep()) == (1, 0)
    assert await only_coupon(api, "FAILED") == code
    assert await coupon_status(api, acme, code) is None
    assert await ledger_matches_wallet(api, acme) == (150, [])
    # when the member retries with the same key: the same redemption, armed again, succeeds
    retry = await redeem(api, acme, reward_id, "k1")
    # then
    assert retry["userErrors"] == []
    assert (retry["redemption"]["couponCode"], retry["redemption"]["status"]) == (code, "ISSUED")
    assert await ledger_matches_wallet(api, acme) == (50, [-100])
    api.clock.advance(SWEEP_GRACE)
    assert await sweep() == 0
    assert await only_coupon(api, "ISSUED") == code


async def test_retry_after_a_crash_past_the_take_finishes_the_first_attempt(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a crash after the points were taken
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    code = await crash_after_take(api, acme, reward_id, monkeypatch)
    # when the member retries, after the take window closed, then again
    api.clock.advance(TAKE_WINDOW + timedelta(minutes=1))
    retry = await redeem(api, acme, reward_id, "k1")
    again = await redeem(api, acme, reward_id, "k1")
    # then the first attempt is finished: its coupon, its points, charged once
    assert retry["userErrors"] == []
    redemption = retry["redemption"]
    assert (redemption["couponCode"], redemption["pointsSpent"], redemption["status"]) == (
        code,
        100,
        "ISSUED",
    )
    assert retry["wallet"]["balance"] == 50
    assert again == retry
    assert await ledger_matches_wallet(api, acme) == (50, [-100])


async def test_retry_after_a_crash_before_the_take_charges_once(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch, sweep: Sweep
) -> None:
    # given a crash before the points were taken, and a retry after the take window closed
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    code = await crash_before_take(api, acme, reward_id, monkeypatch)
    api.clock.advance(TAKE_WINDOW + timedelta(minutes=1))
    # when
    retry = await redeem(api, acme, reward_id, "k1")
    # then the same redemption was armed again and charged once
    assert retry["userErrors"] == []
    assert (retry["redemption"]["couponCode"], retry["redemption"]["status"]) == (code, "ISSUED")
    assert await ledger_matches_wallet(api, acme) == (50, [-100])
    # and the sweeper, later, has nothing to settle
    api.clock.advance(SWEEP_GRACE)
    assert await sweep() == 0
    assert await only_coupon(api, "ISSUED") == code


async def test_a_take_after_its_window_closed_is_refused(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch, sweep: Sweep
) -> None:
    # given an attempt that stalls past its take window just before the wallet write
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    real_move = redemptions.move

    async def stalled_move(*args: Any) -> Any:
        api.clock.advance(TAKE_WINDOW + timedelta(seconds=1))
        return await real_move(*args)

    with monkeypatch.context() as patch:
        patch.setattr(redemptions, "move", stalled_move)
        patch.setattr(redemptions, "MAX_ROUNDS", 2)
        # when every attempt stalls past its window, until the request gives up
        payload = await redeem(api, acme, reward_id, "k1")
    # then no points were taken by a lapsed attempt, and the sweeper fails the reservation
    assert [e["code"] for e in payload["userErrors"]] == ["IN_PROGRESS"]
    assert await ledger_matches_wallet(api, acme) == (150, [])
    api.clock.advance(SWEEP_GRACE)
    assert await sweep() == 1
    await only_coupon(api, "FAILED")


async def test_two_sweepers_settle_each_redemption_once(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch, sweep: Sweep
) -> None:
    # given one member's crash after the take, another's before it
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    await crash_after_take(api, acme, reward_id, monkeypatch)
    await enroll(api, acme, "c2")
    await give_points(api, acme, "c2", 150, "g2")
    with monkeypatch.context() as patch:
        patch.setattr(redemptions, "move", crashing)
        await crashed_redeem(api, acme, reward_id, "c2")
    api.clock.advance(SWEEP_GRACE)
    # when two workers read the same due redemptions, then each settles what it read
    due = await api.deps.redemptions.due_for_sweep(acme.slug, api.clock.now(), 10)
    seen_by_second = list(due)
    first = [await settle(api.deps, r) for r in due]
    second = [await settle(api.deps, r) for r in seen_by_second]
    # then each redemption was settled once, by the first
    assert (first, second) == ([True, True], [False, False])
    statuses = sorted(r["status"] for r in await stored_redemptions(api))
    assert statuses == ["FAILED", "ISSUED"]
    assert await asyncio.gather(sweep(), sweep()) == [0, 0]
    assert await ledger_matches_wallet(api, acme) == (50, [-100])


async def test_scheduler_runs_the_sweeper(
    api: Api, acme: TenantCreds, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    code = await crash_after_take(api, acme, reward_id, monkeypatch)
    api.clock.advance(SWEEP_GRACE)
    # when
    done = await Scheduler(database, api.deps, interval=60).tick()
    # then
    assert done["redemptions"] == 1
    assert await coupon_status(api, acme, code) == "ISSUED"


async def test_sweeper_issues_a_failed_attempt_whose_points_a_duplicate_took(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch, sweep: Sweep
) -> None:
    # given a duplicate request that took the points and died, and another that recorded the
    # attempt as failed (it found the points already gone)
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    reward_id = await create_reward(api, acme)
    code = await crash_after_take(api, acme, reward_id, monkeypatch)
    [record] = await stored_redemptions(api)
    redemption_id = record["_id"].split(":", 1)[1]
    assert await api.deps.redemptions.fail(acme.slug, redemption_id, 1, final=False) is not None
    # when
    api.clock.advance(SWEEP_GRACE)
    settled = await sweep()
    # then
    assert settled == 1
    assert await coupon_status(api, acme, code) == "ISSUED"
    assert await ledger_matches_wallet(api, acme) == (50, [-100])
