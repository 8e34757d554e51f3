"""What outbound webhooks need from the outside world: storage, a sender and a cipher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from loyalty.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent


class Cipher(Protocol):
    """Secrets at rest (integrations/secret_box.py): tokens decrypt under every configured
    key, so keys can be rotated."""

    def encrypt(self, plain: str) -> str: ...
    def decrypt(self, token: str) -> str: ...


class WebhookEndpointRepository(Protocol):
    async def save(self, endpoint: WebhookEndpoint) -> None: ...
    async def get(self, tenant: str, endpoint_id: str) -> WebhookEndpoint | None: ...
    async def list(self, tenant: str) -> list[WebhookEndpoint]: ...
    async def subscribed(self, tenant: str) -> frozenset[WebhookEvent]:
        """The events some live endpoint of the tenant wants (cached briefly: called on
        every wallet change)."""
        ...

    async def record_outcome(
        self, tenant: str, endpoint_id: str, *, ok: bool, at: datetime
    ) -> WebhookEndpoint | None: ...
    async def disable(self, tenant: str, endpoint_id: str, *, at: datetime, reason: str) -> bool:
        """True for the call that disabled it."""
        ...


@dataclass(frozen=True)
class DeliveryPage:
    items: list[WebhookDelivery]
    has_next: bool


class WebhookDeliveryRepository(Protocol):
    async def enqueue(self, delivery: WebhookDelivery) -> bool:
        """False when this delivery (endpoint, event) was written before."""
        ...

    async def claim_due(
        self, tenant: str, now: datetime, hold_until: datetime, limit: int
    ) -> list[WebhookDelivery]: ...
    async def settle(
        self,
        delivery: WebhookDelivery,
        *,
        status: DeliveryStatus,
        at: datetime,
        status_code: int | None,
        error: str | None,
        next_attempt_at: datetime | None,
    ) -> bool:
        """Records one attempt, only while the claim that made it still holds the delivery."""
        ...

    async def get(self, tenant: str, delivery_id: str) -> WebhookDelivery | None: ...
    async def page(
        self,
        tenant: str,
        *,
        endpoint_id: str | None,
        status: DeliveryStatus | None,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> DeliveryPage:
        """Newest first."""
        ...

    async def redeliver(self, tenant: str, delivery_id: str, at: datetime) -> bool:
        """Due again now, with a fresh retry window; not while a sender holds it."""
        ...

    async def fail_waiting(self, tenant: str, endpoint_id: str, at: datetime, reason: str) -> int:
        """Stops the endpoint's waiting deliveries (it was disabled)."""
        ...


@dataclass(frozen=True)
class SendOutcome:
    status_code: int | None  # None: no answer (connection refused, timeout)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender(Protocol):
    # The longest one attempt takes, name lookup included: claims are sized from it.
    deadline: timedelta

    async def send(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime
    ) -> SendOutcome:
        """Signs (Standard Webhooks) and posts the delivery's body; never raises for the
        receiver's failures."""
        ...


class WebhookWatch(Protocol):
    """What operators count (api/metrics.py): every attempt that failed, every endpoint
    disabled. Label values stay low in cardinality: the tenant only."""

    def webhook_attempt_failed(self, tenant: str) -> None: ...
    def webhook_endpoint_disabled(self, tenant: str) -> None: ...


class _Unwatched:
    def webhook_attempt_failed(self, tenant: str) -> None:
        pass

    def webhook_endpoint_disabled(self, tenant: str) -> None:
        pass


UNWATCHED: WebhookWatch = _Unwatched()
