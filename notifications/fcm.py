"""The Firebase Cloud Messaging sender: the real firebase-admin SDK (`send_each_async`, at most
500 messages per call), Android and APNs options per message, and FCM's error codes mapped to
what the outbox does next (forget the token, retry later, or give up).

The SDK's own transport retries are turned off: the outbox owns retries, so it can honour
Retry-After and back off with jitter without holding a worker on `sleep`."""

from __future__ import annotations

import email.utils
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from loyalty.notifications import PushError, PushMessage, PushResult

BATCH = 500  # FCM's limit for one send_each call
RETRYABLE = ("QuotaExceededError", "UnavailableError", "InternalError", "ResourceExhaustedError")


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
    ) -> None:
        import firebase_admin
        from firebase_admin import _http_client, credentials, messaging
        from firebase_admin._retry import HttpxRetry

        self._messaging = messaging
        self._exceptions = firebase_admin.exceptions
        self._app = firebase_admin.initialize_app(
            credentials.Certificate(credentials_path), name=f"loyalty-{uuid.uuid4().hex[:8]}"
        )
        service = self._service = messaging._get_messaging_service(self._app)
        service._async_client = _http_client.HttpxAsyncClient(
            credential=service._credential, retry_config=HttpxRetry(max_retries=0), timeout=30
        )
        self._sound = sound
        self._badge = badge
        self._clock = clock

    async def aclose(self) -> None:
        """Close the HTTP connections on the loop that opened them (call before `close`)."""
        await self._service._async_client.aclose()

    def close(self) -> None:
        import firebase_admin

        firebase_admin.delete_app(self._app)

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        results: list[PushResult] = []
        for start in range(0, len(messages), BATCH):
            chunk = [self._build(m) for m in messages[start : start + BATCH]]
            batch = await self._messaging.send_each_async(chunk, app=self._app)
            results.extend(self._result(response) for response in batch.responses)
        return results

    def _build(self, m: PushMessage) -> Any:
        ttl = None if m.ttl_seconds is None else timedelta(seconds=m.ttl_seconds)
        apns_headers = {"apns-collapse-id": m.collapse_key[:64]}
        if m.ttl_seconds is not None:
            # APNs wants an absolute expiry (epoch seconds): no later than the points' expiry.
            apns_headers["apns-expiration"] = str(int(self._clock()) + m.ttl_seconds)
        with warnings.catch_warnings():
            # 7.x deprecates `token` in favour of installation ids; apps still hand us
            # registration tokens, which FCM v1 takes as "token".
            warnings.simplefilter("ignore", DeprecationWarning)
            return self._message(m, ttl, apns_headers)

    def _message(self, m: PushMessage, ttl: timedelta | None, apns_headers: dict[str, str]) -> Any:
        messaging = self._messaging
        return messaging.Message(
            token=m.token,
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
