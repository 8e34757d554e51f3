"""The FCM sender through the real firebase-admin SDK, against a fake FCM on 127.0.0.1: the
exact JSON sent, token clean-up on UNREGISTERED, and the retry after a 503 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from firebase_admin import messaging

from api.scheduler import Scheduler
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from mongo.client import Database
from notifications.fcm import FcmSender
from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.fake_fcm import PROJECT, FakeFcm, fcm_error, serve, service_account

REGISTER = """
mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) {
  device { token } userErrors { code field } } }
"""
LOG = """
query { notificationLog(first: 10) { edges { node { kind status reason sender attempts } } } }
"""
# 30 days before the points granted at the test clock's start expire (12 months + 1 day).
INTO_WINDOW = timedelta(days=337)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFcm]:
    for server in serve():
        # Tests only: the SDK builds its endpoint from this template when the app is created.
        monkeypatch.setattr(messaging._MessagingService, "FCM_URL", server.fcm_url)
        yield server


@pytest.fixture
def sender(fake: FakeFcm, tmp_path: Path, clock: FrozenClock) -> Iterator[FcmSender]:
    made = FcmSender(str(service_account(tmp_path, fake)), clock=lambda: clock.now().timestamp())
    yield made
    made.close()


async def _member_with_device(api: Api, creds: TenantCreds, token: str, platform: str) -> None:
    await enroll(api, creds, "c1")
    await give_points(api, creds, "c1", 5, "g1")
    body = await api.gql(
        REGISTER,
        {"input": {"token": token, "platform": platform}},
        token=creds.member_token(api, "c1"),
    )
    assert body["data"]["registerDevice"]["userErrors"] == [], body


async def _log(api: Api, creds: TenantCreds) -> list[dict[str, object]]:
    body = await api.gql(LOG, token=creds.admin)
    return [edge["node"] for edge in body["data"]["notificationLog"]["edges"]]


async def test_a_reminder_is_sent_as_this_exact_fcm_request(
    api: Api, acme: TenantCreds, database: Database, deps: Deps, fake: FakeFcm, sender: FcmSender
) -> None:
    # given 5 points expiring 2027-01-16T00:00Z and an Android device
    await _member_with_device(api, acme, "tok-android", "ANDROID")
    api.clock.advance(INTO_WINDOW)
    # when the scheduler ticks with the FCM sender
    done = await Scheduler(database, deps, 60, sender).tick()
    # then firebase-admin posted exactly this message, authorised with the fetched token
    assert done["push-send"] == 1
    expires = datetime(2027, 1, 16, tzinfo=UTC)
    ttl = int((expires - api.clock.now()).total_seconds())
    assert fake.sent == [
        {
            "message": {
                "token": "tok-android",
                "notification": {
                    "title": "Some of your points expire soon",
                    "body": "5 points will expire on January 16, 2027. Redeem them before then.",
                },
                "data": {
                    "kind": "POINTS_EXPIRING",
                    "link": "loyalty://wallet",
                    "expiresAt": "2027-01-16T00:00:00+00:00",
                    "points": "5",
                },
                "android": {
                    "collapse_key": "points_expiring",
                    "priority": "high",
                    "ttl": f"{ttl}s",
                    "notification": {"sound": "default"},
                },
                "apns": {
                    "headers": {
                        "apns-collapse-id": "points_expiring",
                        "apns-expiration": str(int(expires.timestamp())),
                    },
                    "payload": {"aps": {"sound": "default"}},
                },
            }
        }
    ]
    assert fake.auth_headers == ["Bearer fake-access"]
    assert await _log(api, acme) == [
        {
            "kind": "POINTS_EXPIRING",
            "status": "SENT",
            "reason": None,
            "sender": "fcm",
            "attempts": 1,
        }
    ]


async def test_an_unregistered_token_is_removed(
    api: Api, acme: TenantCreds, database: Database, deps: Deps, fake: FakeFcm, sender: FcmSender
) -> None:
    # given a device FCM no longer knows
    await _member_with_device(api, acme, "tok-dead", "IOS")
    fake.scripts["tok-dead"] = [(404, fcm_error(404, "NOT_FOUND", "UNREGISTERED"), {})]
    api.clock.advance(INTO_WINDOW)
    # when
    await Scheduler(database, deps, 60, sender).tick()
    # then the token is forgotten and the row says why nothing was delivered
    assert [m["message"]["token"] for m in fake.sent] == ["tok-dead"]
    member = await deps.members.get_by_external_id("acme", "c1")
    assert member is not None
    assert await deps.devices.for_member("acme", member.id) == []
    assert await _log(api, acme) == [
        {
            "kind": "POINTS_EXPIRING",
            "status": "SKIPPED",
            "reason": "NO_DEVICE",
            "sender": None,
            "attempts": 0,
        }
    ]


async def test_a_503_is_retried_after_retry_after_then_sent(
    api: Api, acme: TenantCreds, database: Database, deps: Deps, fake: FakeFcm, sender: FcmSender
) -> None:
    # given FCM answers 503 with Retry-After: 120 once, then accepts
    await _member_with_device(api, acme, "tok-busy", "ANDROID")
    fake.scripts["tok-busy"] = [
        (503, fcm_error(503, "UNAVAILABLE"), {"Retry-After": "120"}),
        (200, {"name": f"projects/{PROJECT}/messages/2"}, {}),
    ]
    api.clock.advance(INTO_WINDOW)
    scheduler = Scheduler(database, deps, 60, sender)
    # when the first attempt fails
    await scheduler.tick()
    # then the row waits (not failed) and nothing is re-sent before Retry-After has passed
    assert await _log(api, acme) == [
        {
            "kind": "POINTS_EXPIRING",
            "status": "PENDING",
            "reason": "RETRY",
            "sender": None,
            "attempts": 1,
        }
    ]
    api.clock.advance(timedelta(seconds=119))
    await scheduler.tick()
    assert len(fake.sent) == 1
    # when the backoff has passed
    api.clock.advance(timedelta(minutes=5))
    await scheduler.tick()
    # then the same message went again (a shorter TTL: the expiry did not move) and arrived
    first, again = (sent["message"] for sent in fake.sent)
    assert len(fake.sent) == 2
    assert [again[k] for k in ("token", "notification", "data")] == [
        first[k] for k in ("token", "notification", "data")
    ]
    assert int(again["android"]["ttl"][:-1]) == int(first["android"]["ttl"][:-1]) - 419
    assert await _log(api, acme) == [
        {
            "kind": "POINTS_EXPIRING",
            "status": "SENT",
            "reason": None,
            "sender": "fcm",
            "attempts": 2,
        }
    ]


async def test_a_partial_delivery_retries_only_the_failed_device(
    api: Api, acme: TenantCreds, database: Database, deps: Deps, fake: FakeFcm, sender: FcmSender
) -> None:
    # given a member with two phones; FCM accepts one and answers 503 for the other, once
    await _member_with_device(api, acme, "tok-ok", "IOS")
    body = await api.gql(
        REGISTER,
        {"input": {"token": "tok-busy", "platform": "ANDROID"}},
        token=acme.member_token(api, "c1"),
    )
    assert body["data"]["registerDevice"]["userErrors"] == [], body
    fake.scripts["tok-busy"] = [
        (503, fcm_error(503, "UNAVAILABLE"), {"Retry-After": "120"}),
        (200, {"name": f"projects/{PROJECT}/messages/9"}, {}),
    ]
    api.clock.advance(INTO_WINDOW)
    scheduler = Scheduler(database, deps, 60, sender)
    # when the first drain reaches only one phone
    await scheduler.tick()
    # then the row waits for the other one, remembering who got it
    assert sorted(m["message"]["token"] for m in fake.sent) == ["tok-busy", "tok-ok"]
    assert await _log(api, acme) == [
        {
            "kind": "POINTS_EXPIRING",
            "status": "PENDING",
            "reason": "RETRY_PARTIAL",
            "sender": None,
            "attempts": 1,
        }
    ]
    stored = await database.db["outbox"].find_one({"tenant": "acme"})
    assert (stored["retry_tokens"], stored["delivered"]) == (["tok-busy"], 1)
    # when the backoff has passed (twice, to see nothing more goes out afterwards)
    api.clock.advance(timedelta(minutes=5))
    await scheduler.tick()
    api.clock.advance(timedelta(hours=2))
    await scheduler.tick()
    # then only the failed phone got it again, and the row is SENT
    assert [m["message"]["token"] for m in fake.sent[2:]] == ["tok-busy"]
    assert await _log(api, acme) == [
        {
            "kind": "POINTS_EXPIRING",
            "status": "SENT",
            "reason": None,
            "sender": "fcm",
            "attempts": 2,
        }
    ]
