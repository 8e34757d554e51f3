"""One encoding per distinct push content instead of one per device.

A campaign or reminder wave is hundreds of messages that differ only in their token. The SDK
builds and checks a `messaging.Message` for each and encodes it (`MessageEncoder`: validation,
null stripping), about a fifth of the sender's CPU per message (bench/push_send.py). Here each
distinct content is built and encoded by the SDK once, with a stand-in token, and each device
gets a copy of that encoding with its own token in the stand-in's place: the same keys in the
same order, so every request body is byte for byte what the SDK would have sent (tests in
tests/api/test_fcm_bodies.py compare them with the SDK's own encoding, per message).

The requests, per-message responses and error mapping stay `send_each_async`'s. The one SDK
internal overridden is `_MessagingService._message_data(message, dry_run)`, which that call
uses to turn each list item into a request body: on this sender's own service instance (never
the class), it answers for `Addressed` items and hands anything else to the SDK's own method.
If the SDK stops calling it, an `Addressed` item reaches `encode_message` and the send fails
with ValueError at once; tests/api/test_fcm_bodies.py pins the method's name and signature."""

from __future__ import annotations

import inspect
from typing import Any

STAND_IN = "-"  # any non-empty token passes the SDK's check; each device's replaces it
OVERRIDDEN = "_message_data"
SIGNATURE = ("self", "message", "dry_run")


class Addressed:
    """One device's message: the encoding shared by its content, and its token."""

    __slots__ = ("encoded", "token")

    def __init__(self, encoded: dict[str, Any], token: str) -> None:
        self.encoded = encoded
        self.token = token


def install(service: Any) -> None:
    """Let `service` (the app's `_MessagingService`) take `Addressed` items in
    `send_each_async`."""
    method = getattr(type(service), OVERRIDDEN)
    if tuple(inspect.signature(method).parameters) != SIGNATURE:
        raise RuntimeError(f"firebase-admin changed _MessagingService.{OVERRIDDEN}")
    sdk = getattr(service, OVERRIDDEN)

    def message_data(message: Any, dry_run: bool) -> dict[str, Any]:
        if not isinstance(message, Addressed):
            return sdk(message, dry_run)  # type: ignore[no-any-return]
        token = message.token
        if not isinstance(token, str) or not token:  # as the SDK's encoder refuses it
            raise ValueError("Message.token must be a non-empty string.")
        body = message.encoded.copy()  # keeps the stand-in's place for the token
        body["token"] = token
        data: dict[str, Any] = {"message": body}
        if dry_run:
            data["validate_only"] = True
        return data

    setattr(service, OVERRIDDEN, message_data)
