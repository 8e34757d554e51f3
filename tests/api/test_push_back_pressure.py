"""Back-pressure through the real firebase-admin sender: when FCM answers 429 with Retry-After
for one device, the whole sender waits that long (other members' pushes too, which never
failed), the rest of the batch is put back without counting an attempt, and afterwards every
push leaves once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from firebase_admin import messaging

from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from mongo.client import Database
from notifications.campaigns import run_due_campaigns
from notifications.dispatch import drain
from notifications.fcm import FcmSender
from notifications.pace import Pace
from tests.api.conftest import Api, TenantCreds
from tests.api.fake_fcm import FakeFcm, fcm_error, serve, service_account
from tests.api.push_helpers import register

CREATE = """
mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { userErrors { code } } }
"""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFcm]:
    for server in serve():
        monkeypatch.setattr(messaging._MessagingService, "FCM_URL", server.fcm_url)
        yield server


@pytest.fixture
def sender(fake: FakeFcm, tmp_path: Path, clock: FrozenClock) -> Iterator[FcmSender]:
    made = FcmSender(
        str(service_account(tmp_path, fake)), clock=lambda: clock.now().timestamp(), parallel=1
    )
    yield made
    made.close()


async def statuses(database: Database) -> list[tuple[str, str | None, int]]:
    docs = await database.db["outbox"].find({}).sort("member_id", 1).to_list(None)
    return [(doc["status"], doc["reason"], doc["attempts"]) for doc in docs]


async def test_retry_after_slows_the_whole_sender(
    api: Api, acme: TenantCreds, database: Database, deps: Deps, fake: FakeFcm, sender: FcmSender
) -> None:
    # given a campaign to six members queued for the drain, which sends waves of two; FCM
    # answers c0's push with 429 and Retry-After: 30, once
    for number in range(6):
        await register(api, acme, f"c{number}", f"tok-{number}")
    body = await api.gql(
        CREATE,
        {"input": {"name": "Eid", "title": {"en": "Offer"}, "body": {"en": "Sale"}}},
        token=acme.admin,
    )
    assert body["data"]["createCampaign"]["userErrors"] == []
    tenant = await deps.tenants.get("acme")
    assert tenant is not None
    await run_due_campaigns(deps, tenant)
    fake.scripts["tok-0"] = [
        (429, fcm_error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"), {"Retry-After": "30"}),
        (200, {"name": "projects/loyalty-test/messages/2"}, {}),
    ]
    pace = Pace(max_wave=2, wave=2)
    # when the drain sends its first wave
    assert await drain(deps, tenant, sender, pace=pace) == 6
    # then only that wave left; c0 waits for its retry, the four others were put back until
    # Retry-After has passed (not an attempt)
    assert sorted(m["message"]["token"] for m in fake.sent) == ["tok-0", "tok-1"]
    assert sorted(await statuses(database)) == sorted(
        [("PENDING", "RETRY", 1), ("SENT", None, 1)] + [("PENDING", "BACK_PRESSURE", 0)] * 4
    )
    # when the drain runs again within Retry-After
    api.clock.advance(timedelta(seconds=29))
    assert await drain(deps, tenant, sender, pace=pace) == 0
    # then nothing left, though four of those pushes never failed
    assert len(fake.sent) == 2
    # when Retry-After has passed
    api.clock.advance(timedelta(seconds=2))
    await drain(deps, tenant, sender, pace=pace, max_batches=10)
    # then every push left once more: c0 retried, the rest for the first time
    tokens = sorted(m["message"]["token"] for m in fake.sent)
    assert tokens == sorted(["tok-0", "tok-0", "tok-1", "tok-2", "tok-3", "tok-4", "tok-5"])
    assert sorted(await statuses(database)) == [("SENT", None, 1)] * 5 + [("SENT", None, 2)]
