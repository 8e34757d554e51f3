"""The crash run: a client makes mixed wallet calls against one `loyalty serve` process and
retries each with the same keys until it gets an answer, while the API and worker processes
are killed with SIGKILL and restarted."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from mongo.client import DRIVER_OPTIONS
from tests.api.conftest import ADJUST, RECORD_ORDER
from tests.api.test_redeem_reward import REDEEM, UPSERT_REWARD
from tests.api.test_refund_order import REFUND
from tests.multiprocess.processes import (
    AppProcess,
    DevStoreProcess,
    app_env,
    create_tenant,
    data,
    daytime_zone,
    gql,
    member_token,
)

TENANT = "crash"
MEMBERS = tuple(f"m{n}" for n in range(8))
CLIENTS = 4  # threads, each with its own members: every member's calls stay in order
CAMPAIGN = """mutation($input: CreateCampaignInput!) { createCampaign(input: $input) {
  userErrors { code } } }"""
REGISTER = """mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) {
  userErrors { code } } }"""


@dataclass
class Call:
    kind: str
    query: str
    variables: dict[str, Any]
    token: str
    answer: dict[str, Any] | None = None
    attempts: int = 0


@dataclass
class Run:
    calls: list[Call]
    api: AppProcess
    worker: AppProcess
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call_until_answered(self, call: Call) -> None:
        while True:
            call.attempts += 1
            try:
                response = gql(self.api.base, call.query, call.variables, token=call.token)
            except httpx.TransportError:  # the API process is down, or died mid-request
                time.sleep(0.2)
                continue
            if response.status_code == 200 and "errors" not in response.json():
                call.answer = next(iter(response.json()["data"].values()))
                with self.lock:
                    self.done += 1
                return
            time.sleep(0.2)  # 5xx from a process being killed, or 503 while it starts


def plan(count: int, creds: dict[str, str], tokens: dict[str, str], reward: str) -> list[Call]:
    rng = random.Random(16)
    calls: list[Call] = []
    for n in range(count):
        member = rng.choice(MEMBERS)
        choice = rng.random()
        if n % 25 == 0:  # a push to every member, sent by the worker while it is killed
            text = {"ar": f"عرض {n}", "en": f"Offer {n}"}
            campaign = {"name": f"c{n}", "title": text, "body": text}
            calls.append(Call("campaign", CAMPAIGN, {"input": campaign}, creds["adminApiKey"]))
        elif choice < 0.35:
            order = {
                "memberExternalId": member,
                "orderId": f"o{n}",
                "total": "40",
                "currency": "AED",
            }
            calls.append(Call("order", RECORD_ORDER, {"input": order}, creds["eventsApiKey"]))
        elif choice < 0.6:
            adjust = {
                "memberExternalId": member,
                "points": rng.choice((25, -40, 60, -5)),
                "reason": "crash",
                "idempotencyKey": f"a{n}",
            }
            calls.append(Call("adjust", ADJUST, {"input": adjust}, creds["adminApiKey"]))
        elif choice < 0.8:
            redeem = {"rewardId": reward, "idempotencyKey": f"r{n}"}
            calls.append(Call("redeem", REDEEM, {"input": redeem}, tokens[member]))
        else:
            refund = {
                "orderId": f"old-{member}-{rng.randrange(3)}",
                "amount": "10",
                "idempotencyKey": f"f{n}",
            }
            calls.append(Call("refund", REFUND, {"input": refund}, creds["eventsApiKey"]))
    return calls


def member_of(call: Call) -> str:
    variables = call.variables["input"]
    if call.kind == "campaign":
        return MEMBERS[0]
    if "memberExternalId" in variables:
        member: str = variables["memberExternalId"]
        return member
    if "orderId" in variables:
        return str(variables["orderId"]).split("-")[1]
    return next(m for m, t in TOKENS.items() if t == call.token)


TOKENS: dict[str, str] = {}


def seed(base: str) -> tuple[dict[str, str], dict[str, str], str]:
    creds = create_tenant(base, TENANT)
    program = "mutation { updateProgram(input: {pendingDays: 0}) { userErrors { code } } }"
    assert data(gql(base, program, token=creds["adminApiKey"])) == {
        "updateProgram": {"userErrors": []}
    }
    reward_input = {"name": {"en": "Coffee", "ar": "قهوة"}, "cost": 100, "kind": "FREE_PRODUCT"}
    upserted = data(gql(base, UPSERT_REWARD, {"input": reward_input}, token=creds["adminApiKey"]))
    reward: str = upserted["upsertReward"]["reward"]["id"]
    tokens = {}
    zone = daytime_zone()
    for member in MEMBERS:
        tokens[member] = member_token(
            TENANT, member, creds["memberTokenSecret"], creds["memberTokenKid"]
        )
        device = {"token": f"crash-{member}-device", "platform": "ANDROID", "timezone": zone}
        data(gql(base, REGISTER, {"input": device}, token=tokens[member]))
        for n in range(3):
            order = {
                "memberExternalId": member,
                "orderId": f"old-{member}-{n}",
                "total": "100",
                "currency": "AED",
            }
            data(gql(base, RECORD_ORDER, {"input": order}, token=creds["eventsApiKey"]))
    TOKENS.update(tokens)
    return creds, tokens, reward


def crash_run(
    tmp: Path,
    calls: int,
    api_kills: int,
    worker_kills: int,
    check: Callable[[dict[str, Any]], None],
) -> None:
    """Runs the whole thing and hands what was measured and found to `check` (while the
    store still runs)."""
    store = DevStoreProcess(tmp / "store.data")
    env = app_env(store.uri, TENANT, LOYALTY_RATE_LIMIT_SCALE="0")
    api = AppProcess("serve", env, tmp / "api.log").start()
    worker_env = {**env, "LOYALTY_LOG_LEVEL": "INFO", "LOYALTY_SCHEDULER_INTERVAL_SECONDS": "0.5"}
    worker = AppProcess("worker", worker_env, tmp / "worker.log").start()
    try:
        api.wait_ready()
        began = time.monotonic()
        creds, tokens, reward = seed(api.base)
        seeded = time.monotonic() - began
        run = Run(plan(calls, creds, tokens, reward), api, worker)
        started = time.monotonic()
        clients = [
            threading.Thread(target=_client, args=(run, index), daemon=True)
            for index in range(CLIENTS)
        ]
        for client in clients:
            client.start()
        _kill_along(run, api_kills, worker_kills)
        for client in clients:
            client.join(600)
        elapsed = time.monotonic() - started
        db: Any = MongoClient(store.uri, **DRIVER_OPTIONS)[TENANT]
        began = time.monotonic()
        _settle(db)
        check(
            {
                "seeded": seeded,
                "settled": time.monotonic() - began,
                "elapsed": elapsed,
                "calls": run.calls,
                "db": db,
                "pushes": Counter(
                    re.findall(r"push to (crash-m\d)-dev…: ([^|]*) \|", worker.log.read_text())
                ),
                "api_kills": api.kills,
                "worker_kills": worker.kills,
            }
        )
    finally:
        api.stop()
        worker.stop()
        store.stop()


def _client(run: Run, index: int) -> None:
    mine = set(MEMBERS[index::CLIENTS])
    for call in run.calls:
        if member_of(call) in mine:
            run.call_until_answered(call)


def _kill_along(run: Run, api_kills: int, worker_kills: int) -> None:
    """Kills spread evenly over the calls: the API at (k+1)/(api_kills+1) of them, the
    worker likewise, each restarted at once."""
    total = len(run.calls)
    plan = sorted(
        [(total * (k + 1) // (api_kills + 1), "api") for k in range(api_kills)]
        + [(total * (k + 1) // (worker_kills + 1) + 1, "worker") for k in range(worker_kills)]
    )
    for threshold, which in plan:
        while run.done < threshold and run.done < total:
            time.sleep(0.02)
        process = run.api if which == "api" else run.worker
        process.kill()
        process.start()
        process.wait_ready()


def _settle(db: Any, timeout: float = 60) -> None:
    """Waits for the worker to write every journal into the ledger, queue every campaign and
    drain the outbox."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        unsynced = db["members"].count_documents({"wallet.unsynced_seq": {"$ne": None}})
        queued = db["outbox"].count_documents({"status": "PENDING"})
        campaigns = db["campaigns"].count_documents({"status": {"$ne": "DONE"}})
        if unsynced == 0 and queued == 0 and campaigns == 0:
            return
        time.sleep(0.3)
    raise AssertionError("the worker did not catch up")
