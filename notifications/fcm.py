"""The Firebase Cloud Messaging sender: the real firebase-admin SDK (`send_each_async`, at most
500 messages per call), Android and APNs options per message, and FCM's error codes mapped to
what the outbox does next (forget the token, retry later, or give up).

The SDK's own transport retries are turned off: the outbox owns retries, so it can honour
Retry-After and back off with jitter without holding a worker on `sleep`.

Tuned from bench/push_send.py (README "Push notifications (issue 19)"): the SDK's own client
(httpx + httpcore + h2) spent about 2 ms of CPU per message; by default the SDK's calls go
through `AiohttpFcmClient` (notifications/fcm_http.py: a pool of `connections` HTTP/1.1
connections, aiohttp's C parser, the cached OAuth token), about 0.4 ms; with each distinct
content of a slice encoded once (notifications/fcm_bodies.py, which overrides one SDK internal,
`_message_data`, on this sender's own service) and `fewer_collections` in the sending process,
about 0.27 ms. `send_each_async` starts every message of its list at once; it is given slices
of `slice_size` messages, `parallel` at a time (with aiohttp the slicing moved the rate less
than the machine's load did). `client="httpx"` keeps an httpx client (HTTP/2 through h2;
`transport` passes httpx transport options), where slicing also avoids the quadratic queue
scan of httpcore's pool."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import gc
import importlib.util
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any, Literal

import httpx

from loyalty.notifications import PushError, PushMessage, PushResult
from notifications.fcm_bodies import STAND_IN, Addressed, install
from notifications.fcm_http import AiohttpFcmClient

BATCH = 500  # FCM's limit for one send_each call
SLICE = 250  # messages per send_each_async call (in flight together)
PARALLEL = 2  # send_each_async calls at once
CONNECTIONS = 100  # HTTP/1.1 connections of the aiohttp client
YOUNG = 5000  # allocations between young-generation collections while sending (Python: 700)
RETRYABLE = ("QuotaExceededError", "UnavailableError", "InternalError", "ResourceExhaustedError")


def forget_missing_sniffio() -> None:
    """httpcore runs `import sniffio` for every request, and Python does not remember a failed
    import: without sniffio installed each request searched sys.path again (about a
    millisecond here). Recording it as missing makes that import fail at once, which is the
    case httpcore already handles (it then assumes asyncio)."""
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


@contextlib.contextmanager
def fewer_collections(young: int = YOUNG) -> Iterator[None]:
    """The garbage collector's setting for a process that sends pushes. With hundreds of
    requests in flight, their objects outlived Python's young collections (every 700
    allocations) and full collections walked the whole heap every few thousand messages: a
    sixth of the sender's CPU (bench/push_send.py, `gc.callbacks`). Collecting every `young`
    allocations, with the objects alive at start frozen out of full collections, cut that to
    a quarter. Restored on exit."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(young, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


class CachedTokenAuth(httpx.Auth):
    """The service account's OAuth token on every request; refreshed (by the google-auth
    credential, as the SDK does) only when missing, expiring, or refused with 401."""

    def __init__(self, credential: Any) -> None:
        from google.auth.transport import requests as google_requests

        self._credential = credential
        self._request = google_requests.Request()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        for attempt in range(2):
            if attempt or not self._credential.valid:
                self._credential.refresh(self._request)
            self._credential.apply(request.headers)
            response = yield request
            if response.status_code != 401:
                return


class FcmSender:
    name = "fcm"
    batch_size = BATCH

    def __init__(
        self,
        credentials_path: str,
        *,
        sound: str = "default",
        badge: int | None = None,
        clock: Callable[[], float] = time.time,
        slice_size: int = SLICE,
        parallel: int = PARALLEL,
        client: Literal["aiohttp", "httpx"] = "aiohttp",
        connections: int = CONNECTIONS,
        transport: Mapping[str, Any] | None = None,
    ) -> None:
        """`transport`: extra httpx transport options for `client="httpx"` (the bench passes
        `http1=False` for HTTP/2 without TLS to its local endpoint)."""
        import firebase_admin
        from firebase_admin import _http_client, credentials, messaging
        from firebase_admin._retry import HttpxRetry, HttpxRetryTransport

        forget_missing_sniffio()
        self._messaging = messaging
        self._exceptions = firebase_admin.exceptions
        self._app = firebase_admin.initialize_app(
            credentials.Certificate(credentials_path), name=f"loyalty-{uuid.uuid4().hex[:8]}"
        )
        service = self._service = messaging._get_messaging_service(self._app)
        sdk_client = _http_client.HttpxAsyncClient(
            credential=service._credential, retry_config=HttpxRetry(max_retries=0), timeout=30
        )
        headers = dict(_http_client.METRICS_HEADERS)
        if client == "aiohttp":
            sdk_client._async_client = AiohttpFcmClient(
                service._credential, connections=connections, headers=headers, timeout=30
            )
        else:

            def mount() -> HttpxRetryTransport:
                options = {"limits": httpx.Limits(max_connections=8), **(transport or {})}
                return HttpxRetryTransport(retry=HttpxRetry(max_retries=0), **options)

            sdk_client._async_client = httpx.AsyncClient(
                http2=True,
                timeout=30,
                headers=headers,
                auth=CachedTokenAuth(service._credential),
                mounts={"http://": mount(), "https://": mount()},
            )
        service._async_client = sdk_client
        install(service)
        self._encode = type(service).encode_message
        self._sound = sound
        self._badge = badge
        self._clock = clock
        self._slice = max(1, min(slice_size, BATCH))
        self._parallel = max(1, parallel)

    async def aclose(self) -> None:
        """Close the HTTP connections on the loop that opened them (call before `close`)."""
        await self._service._async_client.aclose()

    def close(self) -> None:
        import firebase_admin

        firebase_admin.delete_app(self._app)

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        slices = [
            messages[start : start + self._slice] for start in range(0, len(messages), self._slice)
        ]
        gate = asyncio.Semaphore(self._parallel)

        async def one(part: Sequence[PushMessage]) -> list[PushResult]:
            async with gate:
                batch = await self._messaging.send_each_async(self._built(part), app=self._app)
                return [self._result(response) for response in batch.responses]

        answers = await asyncio.gather(*(one(part) for part in slices))
        return [result for answer in answers for result in answer]

    def _built(self, part: Sequence[PushMessage]) -> list[Addressed]:
        """Each distinct content built and encoded by the SDK once, with a stand-in token
        (notifications/fcm_bodies.py); one clock read for the slice's APNs expiries."""
        encode = self._encode
        now = int(self._clock())
        shared: dict[tuple[Any, ...], dict[str, Any]] = {}
        built = []
        with warnings.catch_warnings():
            # 7.x deprecates `token` in favour of installation ids; apps still hand us
            # registration tokens, which FCM v1 takes as "token".
            warnings.simplefilter("ignore", DeprecationWarning)
            for m in part:
                key = (m.title, m.body, tuple(m.data.items()), m.collapse_key, m.ttl_seconds)
                encoded = shared.get(key)
                if encoded is None:
                    encoded = shared[key] = encode(self._build(m, STAND_IN, now))
                built.append(Addressed(encoded, m.token))
        return built

    def _build(self, m: PushMessage, token: str, now: int) -> Any:
        ttl = None if m.ttl_seconds is None else timedelta(seconds=m.ttl_seconds)
        apns_headers = {"apns-collapse-id": m.collapse_key[:64]}
        if m.ttl_seconds is not None:
            # APNs wants an absolute expiry (epoch seconds): no later than the points' expiry.
            apns_headers["apns-expiration"] = str(now + m.ttl_seconds)
        return self._message(m, token, ttl, apns_headers)

    def _message(
        self, m: PushMessage, token: str, ttl: timedelta | None, apns_headers: dict[str, str]
    ) -> Any:
        messaging = self._messaging
        return messaging.Message(
            token=token,
            notification=messaging.Notification(title=m.title, body=m.body),
            data=dict(m.data),
            android=messaging.AndroidConfig(
                collapse_key=m.collapse_key,
                priority="high",
                ttl=ttl,
                notification=messaging.AndroidNotification(sound=self._sound),
            ),
            apns=messaging.APNSConfig(
                headers=apns_headers,
                payload=messaging.APNSPayload(
                    aps=messaging.Aps(sound=self._sound, badge=self._badge)
                ),
            ),
        )

    def _result(self, response: Any) -> PushResult:
        if response.success:
            return PushResult()
        exc = response.exception
        name = type(exc).__name__
        if name == "UnregisteredError":
            return PushResult(PushError.UNREGISTERED, detail="UNREGISTERED")
        if isinstance(exc, self._exceptions.InvalidArgumentError):
            return PushResult(PushError.INVALID_ARGUMENT, detail="INVALID_ARGUMENT")
        if isinstance(exc, self._exceptions.FirebaseError) and name in RETRYABLE:
            return PushResult(PushError.RETRY, retry_after=_retry_after(exc), detail=name)
        return PushResult(PushError.OTHER, detail=f"{name}: {exc}"[:200])


def _retry_after(exc: Any) -> float | None:
    response = getattr(exc, "http_response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    if not header:
        return None
    if header.strip().isdigit():
        return float(header)
    parsed = email.utils.parsedate_to_datetime(header)
    return max(0.0, parsed.timestamp() - time.time())
