"""The FCM sender's HTTP clients under the real firebase-admin SDK, against the fake FCM on
127.0.0.1: the aiohttp client (the default) and the httpx one give each device its own
outcome (token clean-up, retry with Retry-After, give up), read compressed answers, refresh a
refused OAuth token once, send the SDK's headers, and survive a new event loop."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from firebase_admin import messaging

from api.push import push_sender
from api.settings import Settings
from loyalty.devices import DevicePlatform
from loyalty.notifications import PushError, PushMessage, PushResult
from notifications.fcm import FcmSender
from notifications.fcm_http import AiohttpFcmClient
from tests.api.fake_fcm import PROJECT, FakeFcm, fcm_error, serve, service_account

Client = Literal["aiohttp", "httpx"]
CLIENTS: list[Client] = ["aiohttp", "httpx"]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFcm]:
    for server in serve():
        monkeypatch.setattr(messaging._MessagingService, "FCM_URL", server.fcm_url)
        yield server


def make_sender(fake: FakeFcm, tmp_path: Path, client: Client) -> FcmSender:
    return FcmSender(str(service_account(tmp_path, fake)), client=client, clock=lambda: 0.0)


@pytest.fixture(params=CLIENTS)
def sender(fake: FakeFcm, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[FcmSender]:
    made = make_sender(fake, tmp_path, request.param)
    yield made
    made.close()  # outside the event loop: the SDK runs a loop of its own to close


def push(token: str) -> PushMessage:
    return PushMessage(
        token=token,
        platform=DevicePlatform.ANDROID,
        title="Eid",
        body="Double points",
        data={"kind": "CAMPAIGN"},
        collapse_key="campaign",
        ttl_seconds=None,
    )


async def test_each_device_gets_its_own_outcome(fake: FakeFcm, sender: FcmSender) -> None:
    # given FCM answers each token of one batch differently
    past = "Wed, 21 Oct 2015 07:28:00 GMT"
    fake.scripts.update(
        {
            "tok-dead": [(404, fcm_error(404, "NOT_FOUND", "UNREGISTERED"), {})],
            "tok-bad": [(400, fcm_error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT"), {})],
            "tok-quota": [
                (429, fcm_error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"), {"Retry-After": "30"})
            ],
            "tok-busy": [(503, fcm_error(503, "UNAVAILABLE"), {"Retry-After": past})],
            "tok-broken": [(500, fcm_error(500, "INTERNAL"), {})],
            "tok-other": [(403, fcm_error(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH"), {})],
        }
    )
    tokens = ["tok-ok", "tok-dead", "tok-bad", "tok-quota", "tok-busy", "tok-broken", "tok-other"]
    # when the batch is sent
    results = await sender.send([push(token) for token in tokens])
    await sender.aclose()
    # then every device has its own outcome, in order; Retry-After in seconds or as a date
    # (already past: no wait)
    assert results == [
        PushResult(),
        PushResult(PushError.UNREGISTERED, detail="UNREGISTERED"),
        PushResult(PushError.INVALID_ARGUMENT, detail="INVALID_ARGUMENT"),
        PushResult(PushError.RETRY, retry_after=30.0, detail="QuotaExceededError"),
        PushResult(PushError.RETRY, retry_after=0.0, detail="UnavailableError"),
        PushResult(PushError.RETRY, retry_after=None, detail="InternalError"),
        PushResult(PushError.OTHER, detail="SenderIdMismatchError: permission_denied"),
    ]
    assert sorted(m["message"]["token"] for m in fake.sent) == sorted(tokens)


async def test_a_compressed_answer_is_read_once_decompressed(
    fake: FakeFcm, sender: FcmSender
) -> None:
    # given FCM gzips its answers
    gzip = {"Content-Encoding": "gzip"}
    fake.scripts["tok-ok"] = [(200, {"name": f"projects/{PROJECT}/messages/1"}, gzip)]
    fake.scripts["tok-dead"] = [(404, fcm_error(404, "NOT_FOUND", "UNREGISTERED"), gzip)]
    # when
    results = await sender.send([push("tok-ok"), push("tok-dead")])
    await sender.aclose()
    # then the error inside the compressed body still says which token to forget
    assert results == [PushResult(), PushResult(PushError.UNREGISTERED, detail="UNREGISTERED")]


async def test_the_sdk_headers_and_the_cached_token_go_with_every_message(
    fake: FakeFcm, sender: FcmSender
) -> None:
    # when two batches are sent
    await sender.send([push("tok-1"), push("tok-2")])
    await sender.send([push("tok-3")])
    await sender.aclose()
    # then one token was fetched, and each request carried it and the SDK's headers
    assert fake.token_requests == 1
    assert fake.auth_headers == ["Bearer fake-access"] * 3
    for headers in fake.headers:
        assert headers["content-type"] == "application/json"
        assert headers["x-goog-api-format-version"] == "2"
        assert headers["x-firebase-client"].startswith("fire-admin-python/")
        assert headers["x-goog-api-client"].startswith("gl-python/")


async def test_a_refused_token_is_fetched_again_and_the_message_resent_once(
    fake: FakeFcm, sender: FcmSender
) -> None:
    # given FCM refuses the first request's token
    fake.scripts["tok-1"] = [
        (401, fcm_error(401, "UNAUTHENTICATED"), {}),
        (200, {"name": f"projects/{PROJECT}/messages/1"}, {}),
    ]
    # when
    results = await sender.send([push("tok-1")])
    await sender.aclose()
    # then a new token was fetched and the message went twice, delivered the second time
    assert results == [PushResult()]
    assert fake.token_requests == 2
    assert [m["message"]["token"] for m in fake.sent] == ["tok-1", "tok-1"]


@pytest.mark.parametrize("client", CLIENTS)
def test_an_unreachable_fcm_is_retried_later(
    fake: FakeFcm, tmp_path: Path, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the token comes from the fake but nothing listens where FCM should be
    monkeypatch.setattr(
        messaging._MessagingService, "FCM_URL", "http://127.0.0.1:9/v1/projects/{0}/messages:send"
    )
    sender = make_sender(fake, tmp_path, client)

    async def send() -> list[PushResult]:
        sent = await sender.send([push("tok-1"), push("tok-2")])
        await sender.aclose()
        return sent

    # when
    try:
        results = asyncio.run(send())
    finally:
        sender.close()
    # then both devices wait for a retry (the connection failed, nothing was delivered)
    assert results == [PushResult(PushError.RETRY, detail="UnavailableError")] * 2


def test_the_aiohttp_client_follows_the_sender_into_a_new_event_loop(
    fake: FakeFcm, tmp_path: Path
) -> None:
    # given a sender whose connections were opened in an event loop that has ended
    sender = make_sender(fake, tmp_path, "aiohttp")
    try:
        assert asyncio.run(sender.send([push("tok-1")])) == [PushResult()]

        # when the next batch is sent from another loop
        async def again() -> list[PushResult]:
            sent = await sender.send([push("tok-2")])
            await sender.aclose()
            return sent

        # then it opens its own connections and delivers
        assert asyncio.run(again()) == [PushResult()]
    finally:
        sender.close()
    assert [m["message"]["token"] for m in fake.sent] == ["tok-1", "tok-2"]


def test_the_process_sender_closes_its_connections_when_the_process_stops(
    fake: FakeFcm, tmp_path: Path
) -> None:
    # given the sender a worker process builds from its settings
    settings = Settings(fcm_credentials=str(service_account(tmp_path, fake)))
    python_default = gc.get_threshold()

    async def work_then_stop() -> tuple[FcmSender, Any, tuple[int, int, int]]:
        async with push_sender(settings) as sender:
            assert isinstance(sender, FcmSender)
            # when it has sent a push and the process stops
            assert [r.ok for r in await sender.send([push("tok-1")])] == [True]
            client = sender._service._async_client._async_client
            assert isinstance(client, AiohttpFcmClient) and client._session is not None
            return sender, client._session, gc.get_threshold()

    sender, session, while_sending = asyncio.run(work_then_stop())
    # then its aiohttp session was closed on the loop that opened it
    assert session.closed
    sender.close()  # outside the event loop: the SDK runs a loop of its own to close
    # and the process collected young garbage every 5,000 allocations while it could send,
    # and as before once it stopped
    assert while_sending == (5000, *python_default[1:])
    assert gc.get_threshold() == python_default


class RotatingCredential:
    """A google-auth credential stand-in whose token changes at each refresh."""

    def __init__(self) -> None:
        self.valid = False
        self.refreshes = 0

    def refresh(self, request: Any) -> None:
        self.refreshes += 1
        self.valid = True

    def apply(self, headers: dict[str, str]) -> None:
        headers["authorization"] = f"Bearer token-{self.refreshes}"


def test_the_headers_are_made_again_when_the_token_or_the_sdks_headers_change() -> None:
    # given the client's headers for the SDK's two headers and the first token
    credential = RotatingCredential()
    client = AiohttpFcmClient(credential, connections=1, headers={}, timeout=30)
    sdk = {"X-GOOG-API-FORMAT-VERSION": "2"}
    first = client._authorized(sdk, refresh=False)
    # when the same SDK headers come again, then the same merged headers are reused
    assert client._authorized(dict(sdk), refresh=False) is first
    # when FCM refuses the token (a refresh), then the new token is sent
    refreshed = client._authorized(sdk, refresh=True)
    # and when the SDK's headers change, they are merged again
    other = client._authorized({"X-GOOG-API-FORMAT-VERSION": "3"}, refresh=False)
    assert dict(first) == {
        "Content-Type": "application/json",
        "X-GOOG-API-FORMAT-VERSION": "2",
        "authorization": "Bearer token-1",
    }
    assert dict(refreshed) == {**dict(first), "authorization": "Bearer token-2"}
    assert dict(other) == {**dict(refreshed), "X-GOOG-API-FORMAT-VERSION": "3"}
    assert credential.refreshes == 2
