"""The sender encodes each distinct content once (notifications/fcm_bodies.py), and every
request body FCM receives is still exactly the SDK's own encoding of that device's message:
same keys, same order, same values, for a wave mixing contents."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from firebase_admin import messaging

from loyalty.devices import DevicePlatform
from loyalty.notifications import PushMessage, PushResult
from notifications import fcm_bodies
from notifications.fcm import FcmSender
from tests.api.fake_fcm import FakeFcm, serve, service_account

NOW = 1_800_000_000
SDK = messaging._MessagingService


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeFcm]:
    for server in serve():
        monkeypatch.setattr(SDK, "FCM_URL", server.fcm_url)
        yield server


@pytest.fixture(params=["aiohttp", "httpx"])
def sender(fake: FakeFcm, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[FcmSender]:
    path = str(service_account(tmp_path, fake))
    made = FcmSender(path, client=request.param, badge=3, clock=lambda: NOW + 0.9)
    yield made
    made.close()


def push(token: str, title: str, data: dict[str, str], ttl: int | None, key: str) -> PushMessage:
    return PushMessage(
        token=token,
        platform=DevicePlatform.IOS,
        title=title,
        body=f"{title}: double points until Eid.",
        data=data,
        collapse_key=key,
        ttl_seconds=ttl,
    )


def wave() -> list[PushMessage]:
    """Three contents interleaved, one of them twice with its data in another order (another
    body: FCM gets the data in the order given), Arabic text, a collapse key over 64 chars."""
    ramadan = {"kind": "CAMPAIGN", "campaignId": "c1"}
    expiring = {"kind": "POINTS_EXPIRING", "points": "5"}
    long_key = "k" * 70
    return [
        push("tok-0", "Ramadan", ramadan, None, "campaign"),
        push("tok-1", "رمضان كريم", expiring, 86_400, long_key),
        push("tok-2", "Ramadan", ramadan, None, "campaign"),
        push("tok-3", "Ramadan", dict(reversed(ramadan.items())), None, "campaign"),
        push("tok-4", "رمضان كريم", expiring, 86_400, long_key),
        push("tok-5", "Ramadan", ramadan, None, "campaign"),
    ]


def sdk_body(m: PushMessage) -> dict[str, Any]:
    """The SDK's own encoding of the message the sender means, spelled out here."""
    apns_headers = {"apns-collapse-id": m.collapse_key[:64]}
    if m.ttl_seconds is not None:
        apns_headers["apns-expiration"] = str(NOW + m.ttl_seconds)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        message = messaging.Message(
            token=m.token,
            notification=messaging.Notification(title=m.title, body=m.body),
            data=dict(m.data),
            android=messaging.AndroidConfig(
                collapse_key=m.collapse_key,
                priority="high",
                ttl=None if m.ttl_seconds is None else timedelta(seconds=m.ttl_seconds),
                notification=messaging.AndroidNotification(sound="default"),
            ),
            apns=messaging.APNSConfig(
                headers=apns_headers,
                payload=messaging.APNSPayload(aps=messaging.Aps(sound="default", badge=3)),
            ),
        )
    return {"message": SDK.encode_message(message)}


async def test_every_body_is_the_sdks_own_encoding_of_its_message(
    fake: FakeFcm, sender: FcmSender, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a wave of six messages with three distinct contents
    messages = wave()
    encoded: list[str] = []
    encode = SDK.JSON_ENCODER.default

    def counting(message: messaging.Message) -> Any:
        encoded.append(message.notification.title)
        return encode(message)

    monkeypatch.setattr(SDK.JSON_ENCODER, "default", counting)
    # when it is sent
    results = await sender.send(messages)
    await sender.aclose()
    # then each content was encoded once
    assert results == [PushResult()] * 6
    assert encoded == ["Ramadan", "رمضان كريم", "Ramadan"]
    # and each device's body has the SDK's keys in the SDK's order with its own token
    bodies = {json.loads(raw)["message"]["token"]: raw for raw in fake.raw}
    assert sorted(bodies) == [f"tok-{index}" for index in range(6)]
    for m in messages:
        expected = sdk_body(m)
        assert json.dumps(json.loads(bodies[m.token])) == json.dumps(expected), m.token
    if sender._service._async_client._async_client.__class__.__name__ == "AiohttpFcmClient":
        assert [bodies[m.token] for m in messages] == [orjson.dumps(sdk_body(m)) for m in messages]


async def test_an_empty_token_is_refused_as_the_sdk_refuses_it(
    fake: FakeFcm, sender: FcmSender
) -> None:
    # given a wave whose second message has no token
    messages = wave()[:3]
    messages[1] = push("", "Ramadan", {"kind": "CAMPAIGN"}, None, "campaign")
    # when it is sent, then nothing goes out and the SDK's error is raised
    with pytest.raises(ValueError, match=r"^Message\.token must be a non-empty string\.$"):
        await sender.send(messages)
    await sender.aclose()
    assert fake.raw == []


async def test_the_sdks_own_messages_still_encode_as_before(sender: FcmSender) -> None:
    # given the sender's service, which takes the sender's shared encodings
    service = sender._service
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        message = messaging.Message(token="tok-9", data={"kind": "X"})
    # when it is handed an SDK message, with and without dry run
    plain = service._message_data(message, False)
    dry = service._message_data(message, True)
    # then the SDK encodes it, and only this instance was changed
    assert plain == {"message": {"data": {"kind": "X"}, "token": "tok-9"}}
    assert dry == {"message": {"data": {"kind": "X"}, "token": "tok-9"}, "validate_only": True}
    assert "_message_data" in vars(service)
    assert SDK.__dict__["_message_data"].__qualname__ == "_MessagingService._message_data"


def test_the_overridden_sdk_method_is_pinned() -> None:
    # given the SDK method the sender overrides per instance
    # then it has the name and parameters the override answers for
    assert fcm_bodies.OVERRIDDEN == "_message_data"
    assert list(SDK._message_data.__code__.co_varnames[:3]) == ["self", "message", "dry_run"]

    # and a service whose method changed shape is refused at once
    class Changed:
        def _message_data(self, message: Any, dry_run: bool, extra: int) -> Any:
            return None

    with pytest.raises(RuntimeError, match="firebase-admin changed"):
        fcm_bodies.install(Changed())
