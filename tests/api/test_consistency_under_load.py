"""1,000 concurrent mixed wallet operations (over the wire; 250 on the in-process store) on a
few members, some of them retried: every wallet still equals its ledger, nothing goes
negative, and nothing happens twice."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from api.app import Runtime, create_app
from api.events import WalletBroker
from api.settings import Settings
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from mongo.client import Database
from tests.api.conftest import (
    ADJUST,
    PLATFORM_KEY,
    RECORD_ORDER,
    Api,
    create_tenant,
    enroll,
    give_points,
)
from tests.api.test_redeem_reward import REDEEM, create_reward
from tests.api.test_refund_order import REFUND
from tests.conftest import TEST_URI

MEMBERS = ("m1", "m2", "m3", "m4")
# Over the wire (the dev store or MongoDB) the calls truly interleave, and 1,000 of them race.
# The in-process store answers without ever yielding, so there they run one after another:
# fewer show the same bookkeeping, without minutes of its whole-collection scans.
CALLS = 250 if TEST_URI.startswith("memory://") else 1000


@pytest.fixture
async def loaded_api(
    database: Database, clock: FrozenClock, broker: WalletBroker, deps: Deps
) -> AsyncIterator[Api]:
    # Rate limits off: this is one client hammering on purpose.
    settings = Settings(platform_key=PLATFORM_KEY, rate_limit_scale=0)
    app = create_app(Runtime(settings=settings, database=database, deps=deps, broker=broker))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client=client, deps=deps, clock=clock, database=database)


async def test_mixed_concurrent_operations_keep_every_wallet_equal_to_its_ledger(
    loaded_api: Api,
) -> None:
    # given four members with points, a reward, and orders to refund
    api = loaded_api
    acme = await create_tenant(api, "acme")
    reward = await create_reward(api, acme)
    tokens = {m: acme.member_token(api, m) for m in MEMBERS}
    for member in MEMBERS:
        await enroll(api, acme, member)
        await give_points(api, acme, member, 1500, f"seed-{member}")
        for n in range(5):
            order = {
                "memberExternalId": member,
                "orderId": f"old-{member}-{n}",
                "total": "200",
                "currency": "SAR",
            }
            await api.gql(RECORD_ORDER, {"input": order}, token=acme.events)
    rng = random.Random(7)
    calls: list[tuple[str, str, Callable[[], Awaitable[dict[str, Any]]]]] = []

    def add(kind: str, key: str, run: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        calls.append((kind, key, run))
        if rng.random() < 0.2:  # a client retry of the very same request
            calls.append((kind, key, run))

    while len(calls) < CALLS:
        member = rng.choice(MEMBERS)
        key = f"{len(calls)}"
        choice = rng.random()
        if choice < 0.3:
            order = {
                "memberExternalId": member,
                "orderId": f"new-{key}",
                "total": "37.50",
                "currency": "SAR",
            }
            add(
                "order",
                f"new-{key}",
                lambda o=order: api.gql(RECORD_ORDER, {"input": o}, token=acme.events),
            )
        elif choice < 0.55:
            points = rng.choice((25, -40, 60, -5))
            adjust = {
                "memberExternalId": member,
                "points": points,
                "reason": "load",
                "idempotencyKey": f"adj-{key}",
            }
            add(
                "adjust",
                f"adj-{key}",
                lambda a=adjust: api.gql(ADJUST, {"input": a}, token=acme.admin),
            )
        elif choice < 0.8:
            redeem = {"rewardId": reward, "idempotencyKey": f"red-{key}"}
            add(
                "redeem",
                f"red-{key}",
                lambda r=redeem, t=tokens[member]: api.gql(REDEEM, {"input": r}, token=t),
            )
        else:
            refund = {
                "orderId": f"old-{member}-{rng.randrange(5)}",
                "amount": "10",
                "idempotencyKey": f"ref-{key}",
            }
            add(
                "refund",
                f"ref-{key}",
                lambda r=refund: api.gql(REFUND, {"input": r}, token=acme.events),
            )
    calls = calls[:CALLS]
    rng.shuffle(calls)
    # when all run at once
    bodies = list(await asyncio.gather(*(run() for _, _, run in calls)))
    # and, as a client does, each call answered IN_PROGRESS (its first attempt still holding
    # the key, or the wallet too contended to finish in time) is sent again with its key
    for _ in range(10):
        waiting = [i for i, body in enumerate(bodies) if _in_progress(body)]
        if not waiting:
            break
        again = await asyncio.gather(*(calls[i][2]() for i in waiting))
        for i, body in zip(waiting, again, strict=True):
            bodies[i] = body
    # then no request failed outright (refusals are userErrors, like running out of points)
    assert all("errors" not in body for body in bodies), [b for b in bodies if "errors" in b][:1]
    succeeded = {
        (kind, key)
        for (kind, key, _), body in zip(calls, bodies, strict=True)
        if next(iter(body["data"].values()))["userErrors"] == []
    }
    assert api.database is not None
    db = api.database.db
    entries = [doc async for doc in db["ledger"].find({"tenant": "acme"})]
    for member in MEMBERS:
        stored = await db["members"].find_one({"tenant": "acme", "external_id": member})
        mine = [e for e in entries if e["member_id"] == str(stored["_id"])]
        wallet = stored["wallet"]
        # every wallet equals its ledger, and no entry ever left a negative balance
        assert wallet["balance"] == sum(e["balance_delta"] for e in mine)
        assert wallet["pending"] == sum(e["pending_delta"] for e in mine)
        assert min(e["balance_after"] for e in mine) >= 0
        assert min(e["pending_after"] for e in mine) >= 0
        assert sorted(e["seq"] for e in mine) == list(range(1, len(mine) + 1))
    # and each successful operation took effect exactly once, retries included
    by_type = Counter(e["type"] for e in entries)
    unique = Counter(kind for kind, _ in succeeded)
    assert by_type["ADJUST"] == unique["adjust"] + len(MEMBERS)  # + the seeds
    assert by_type["REDEEM"] == unique["redeem"]
    issued = {"tenant": "acme", "status": "ISSUED"}
    assert await db["redemptions"].count_documents(issued) == unique["redeem"]
    assert await db["redemptions"].count_documents({"tenant": "acme", "status": "RESERVED"}) == 0
    assert await db["orders"].count_documents({"tenant": "acme"}) == unique["order"] + 20
    assert unique["redeem"] > 0 and unique["refund"] > 0 and unique["order"] > 0


def _in_progress(body: dict[str, Any]) -> bool:
    errors = next(iter(body.get("data", {}).values()), {}).get("userErrors", [])
    return any(error["code"] == "IN_PROGRESS" for error in errors)
