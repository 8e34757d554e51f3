"""Two `loyalty serve` and two `loyalty worker` processes on one dev store: what one process
does, the others see (wallet events, rate limits, tenant changes), and the scheduler's jobs
run once across the workers."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pymongo import MongoClient
from websockets.sync.client import connect

from mongo.client import DRIVER_OPTIONS
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

DB = "loyalty_many"
RECORD_ORDER = """mutation($i: RecordOrderInput!) { recordOrder(input: $i) {
  pointsEarned userErrors { code } } }"""


class Cluster:
    def __init__(self, tmp: Path) -> None:
        self.store = DevStoreProcess(tmp / "store.data")
        # Anonymous callers (one address here) get 12 requests per 6-second window; members 6.
        env = app_env(
            self.store.uri,
            DB,
            LOYALTY_RATE_LIMIT_SCALE="0.1",
            LOYALTY_SCHEDULER_INTERVAL_SECONDS="1",
        )
        worker_env = {**env, "LOYALTY_LOG_LEVEL": "INFO"}  # the pushes are logged
        self.apis = [AppProcess("serve", env, tmp / f"api{i}.log") for i in (1, 2)]
        self.workers = [AppProcess("worker", worker_env, tmp / f"worker{i}.log") for i in (1, 2)]
        for process in (*self.apis, *self.workers):
            process.start()
        for api in self.apis:
            api.wait_ready()
        self.db: Any = MongoClient(self.store.uri, **DRIVER_OPTIONS)[DB]

    def stop(self) -> None:
        for process in (*self.apis, *self.workers):
            process.stop()
        self.store.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path_factory.mktemp("many"))
    yield cluster
    cluster.stop()


@contextmanager
def subscribed(base: str, token: str) -> Iterator[Any]:
    with connect(
        base.replace("http://", "ws://") + "/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers={"Authorization": f"Bearer {token}"},
    ) as ws:
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "connection_ack"}
        query = "subscription { walletUpdated { pendingBalance } }"
        ws.send(json.dumps({"id": "w", "type": "subscribe", "payload": {"query": query}}))
        yield ws


def test_wallet_updated_reaches_a_subscriber_of_the_other_api_process(cluster: Cluster) -> None:
    # given a member subscribed on the second API process
    first, second = (api.base for api in cluster.apis)
    creds = create_tenant(first, "waves")
    token = member_token("waves", "m1", creds["memberTokenSecret"], creds["memberTokenKid"])
    assert data(gql(second, "{ me { externalId } }", token=token))["me"] == {"externalId": "m1"}
    latencies: list[float] = []
    with subscribed(second, token) as ws:
        time.sleep(0.5)  # the subscription is registered before the first write
        for n in range(1, 6):
            # when the store records an order through the first process
            order = {"memberExternalId": "m1", "orderId": f"W{n}", "total": "10", "currency": "AED"}
            started = time.monotonic()
            recorded = data(gql(first, RECORD_ORDER, {"i": order}, token=creds["eventsApiKey"]))
            assert recorded["recordOrder"] == {"pointsEarned": 10, "userErrors": []}
            # then the subscriber hears the new balance within a second
            pushed = json.loads(ws.recv(timeout=1.0))
            latencies.append(time.monotonic() - started)
            assert pushed["payload"]["data"] == {"walletUpdated": {"pendingBalance": 10 * n}}
    print(
        f"\nwalletUpdated across processes: median {statistics.median(latencies) * 1000:.0f} ms,"
        f" max {max(latencies) * 1000:.0f} ms (recordOrder round trip included)"
    )


def test_a_revoked_member_key_is_refused_by_the_other_process_within_a_second(
    cluster: Cluster,
) -> None:
    # given a member token accepted by the second process (its tenant copy is fresh)
    first, second = (api.base for api in cluster.apis)
    creds = create_tenant(first, "keys")
    kid = creds["memberTokenKid"]
    token = member_token("keys", "m1", creds["memberTokenSecret"], kid)
    assert gql(second, "{ me { externalId } }", token=token).status_code == 200
    admin = creds["adminApiKey"]
    rotated = "mutation { rotateMemberTokenSecret { kid userErrors { code } } }"
    assert data(gql(first, rotated, token=admin))["rotateMemberTokenSecret"]["userErrors"] == []
    # when the first process revokes the token's key
    revoke = "mutation($k: String!) { revokeMemberTokenKey(kid: $k) { userErrors { code } } }"
    revoked = data(gql(first, revoke, {"k": kid}, token=admin))["revokeMemberTokenKey"]
    assert revoked == {"userErrors": []}
    started = time.monotonic()
    # then the second process refuses the token within a second (its copy lives 5 s)
    while (answer := gql(second, "{ me { externalId } }", token=token)).json().get("data"):
        assert time.monotonic() - started < 1.0, "still accepted after a second"
        time.sleep(0.25)  # a member has 6 requests per 6-second window here
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", answer.text
    print(f"\nkey revocation seen by the other process after {time.monotonic() - started:.2f} s")


def test_a_published_theme_is_served_by_the_other_process_at_once(cluster: Cluster) -> None:
    # given a draft saved on the first process
    first, second = (api.base for api in cluster.apis)
    creds = create_tenant(first, "paint")
    save = """mutation($i: AppThemeInput!) { saveAppTheme(input: $i) { userErrors { code } } }"""
    colors = {
        "primary": "#1F4E79",
        "onPrimary": "#FFFFFF",
        "secondary": "#2E7D32",
        "onSecondary": "#FFFFFF",
        "background": "#FFFFFF",
        "onBackground": "#1A1A1A",
        "surface": "#F5F5F5",
        "onSurface": "#1A1A1A",
    }
    saved = data(gql(first, save, {"i": {"colors": colors}}, token=creds["adminApiKey"]))
    assert saved == {"saveAppTheme": {"userErrors": []}}
    theme = "{ appTheme { version colors { primary } } }"
    token = member_token("paint", "m1", creds["memberTokenSecret"], creds["memberTokenKid"])
    assert data(gql(second, theme, token=token))["appTheme"]["version"] == 0
    # when it is published there
    publish = "mutation { publishAppTheme { theme { version } userErrors { code } } }"
    published = data(gql(first, publish, token=creds["adminApiKey"]))["publishAppTheme"]
    assert published == {"theme": {"version": 1}, "userErrors": []}
    # then the second process serves it within a second
    started = time.monotonic()
    while data(gql(second, theme, token=token))["appTheme"]["version"] != 1:
        assert time.monotonic() - started < 1.0
        time.sleep(0.1)
    assert data(gql(second, theme, token=token))["appTheme"] == {
        "version": 1,
        "colors": {"primary": "#1F4E79"},
    }


def test_the_scheduler_runs_each_job_once_across_two_workers(cluster: Cluster) -> None:
    # given five members with a device each and points still pending (14 days by default)
    first, second = (api.base for api in cluster.apis)
    creds = create_tenant(first, "jobs")
    register = """mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) {
      userErrors { code } } }"""
    zone = daytime_zone()
    for n in range(5):
        token = member_token("jobs", f"m{n}", creds["memberTokenSecret"], creds["memberTokenKid"])
        device = {"token": f"jobs-dev-{n:03d}-token", "platform": "ANDROID", "timezone": zone}
        assert data(gql(second, register, {"i": device}, token=token)) == {
            "registerDevice": {"userErrors": []}
        }
        order = {"memberExternalId": f"m{n}", "orderId": f"J{n}", "total": "50", "currency": "AED"}
        data(gql(first, RECORD_ORDER, {"i": order}, token=creds["eventsApiKey"]))
    # ... of which m0's have come due (moved back in the store: the processes keep real time)
    past = datetime.now(UTC) - timedelta(minutes=1)
    m0 = cluster.db["members"].find_one({"tenant": "jobs", "external_id": "m0"})
    lots = [{**lot, "available_at": past} for lot in m0["wallet"]["lots"]]
    cluster.db["members"].update_one(
        {"_id": m0["_id"]}, {"$set": {"wallet.next_due_at": past, "wallet.lots": lots}}
    )
    # when a campaign to everyone is created, and both workers tick for a few seconds
    campaign = """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) {
      userErrors { code } } }"""
    text = {
        "name": "Sale",
        "title": {"ar": "عرض", "en": "Sale"},
        "body": {"ar": "اليوم", "en": "Today"},
    }
    assert data(gql(first, campaign, {"i": text}, token=creds["adminApiKey"])) == {
        "createCampaign": {"userErrors": []}
    }
    deadline = time.monotonic() + 20
    while cluster.db["outbox"].count_documents({"tenant": "jobs", "status": "SENT"}) < 5:
        assert time.monotonic() < deadline, "the campaign was not sent"
        time.sleep(0.2)
    time.sleep(3)  # several more ticks of both workers
    # then each device got the campaign push once, from one worker or the other
    logs = "".join(worker.log.read_text() for worker in cluster.workers)
    pushed = Counter(re.findall(r"push to (jobs-dev-\d+)…: Sale", logs))
    assert pushed == {f"jobs-dev-{n:03d}": 1 for n in range(5)}
    # and the pending points were released by one ledger entry
    releases = cluster.db["ledger"].count_documents({"tenant": "jobs", "type": "RELEASE"})
    assert releases == 1
    # and the leaderboards were published, no member twice in any snapshot
    assert cluster.db["leaderboards"].count_documents({"tenant": "jobs"}) > 0
    entries = cluster.db["leaderboard_entries"].find({"tenant": "jobs"})
    places = Counter((e["board"], e["snapshot"], e["member_id"]) for e in entries)
    assert [place for place, count in places.items() if count > 1] == []


# Last: it spends this address's anonymous budget, which a refused token falls back to.
def anonymous_burst(cluster: Cluster, requests: int) -> Counter[int] | None:
    """`requests` anonymous requests alternating between the API processes, all within one
    6-second window (None when this machine was too slow to send them all within it)."""
    time.sleep(6 - time.time() % 6 + 0.05)
    window = time.time() // 6
    with ThreadPoolExecutor(8) as pool:
        statuses = pool.map(
            lambda i: gql(cluster.apis[i % 2].base, "{ __typename }").status_code,
            range(requests),
        )
        counted = Counter(statuses)
    return counted if time.time() // 6 == window else None


def test_rate_limits_are_shared_by_the_api_processes(cluster: Cluster) -> None:
    # given a fresh window for anonymous callers from this address (retried when a slow
    # machine's burst spilled into the next window)
    for _ in range(3):
        # when 16 anonymous requests alternate between the two processes
        statuses = anonymous_burst(cluster, 16)
        if statuses is not None:
            break
    # then the window's 12 are served across both (not 12 by each), and the rest refused
    assert statuses == {200: 12, 429: 4}
