"""Store connections: a merchant's Salla, Zid, Shopify or custom store sending its order and
customer events to the program, and what the program does with an order from a stranger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class StorePlatform(StrEnum):
    SALLA = "SALLA"
    ZID = "ZID"
    SHOPIFY = "SHOPIFY"
    CUSTOM = "CUSTOM"

    @property
    def path(self) -> str:
        return self.value.lower()


class OrderStage(StrEnum):
    """When a store order starts earning. Later stages include the earlier ones: a delivered
    order was created and (as far as loyalty is concerned) paid."""

    CREATED = "CREATED"
    PAID = "PAID"
    DELIVERED = "DELIVERED"

    @property
    def rank(self) -> int:
        return _STAGE_RANK[self]


_STAGE_RANK = {OrderStage.CREATED: 0, OrderStage.PAID: 1, OrderStage.DELIVERED: 2}


class UnknownCustomerPolicy(StrEnum):
    """What an order from a customer who is not a member does: ENROL them from what the order
    knows, HOLD it unclaimed until they enrol, or REFUSE it (MEMBER_NOT_FOUND)."""

    ENROL = "ENROL"
    HOLD = "HOLD"
    REFUSE = "REFUSE"


class OrderTotalBasis(StrEnum):
    """Which total of a store order earns: as the store reports it, or net of shipping and
    tax."""

    REPORTED = "REPORTED"
    NET_OF_SHIPPING_AND_TAX = "NET_OF_SHIPPING_AND_TAX"


@dataclass(frozen=True)
class StoreConnection:
    """`secret` is the ciphertext the SecretBox made: the plain secret is never stored."""

    tenant: str
    platform: StorePlatform
    store_id: str | None
    earn_on: OrderStage
    secret: str = field(repr=False)
    connected_at: datetime
    last_event_at: datetime | None = None
    events_accepted: int = 0
    events_rejected: int = 0


class SecretBox(Protocol):
    """Encrypts secrets for storage; decrypts with any of its keys (rotation)."""

    def seal(self, plain: str) -> str: ...
    def open(self, sealed: str) -> str: ...


class StoreConnectionRepository(Protocol):
    async def save(self, connection: StoreConnection) -> StoreConnection:
        """Creates or replaces the tenant's connection for that platform (counts kept)."""
        ...

    async def get(self, tenant: str, platform: StorePlatform) -> StoreConnection | None: ...
    async def list(self, tenant: str) -> list[StoreConnection]: ...
    async def delete(self, tenant: str, platform: StorePlatform) -> bool: ...
    async def count_event(
        self, tenant: str, platform: StorePlatform, *, accepted: bool, at: datetime
    ) -> None: ...


class _UnwiredSecrets:
    """Deps built without a key (tests of other areas, benchmarks): any use is a wiring bug."""

    def seal(self, plain: str) -> str:
        raise RuntimeError("no secret box wired (api/ builds one from LOYALTY_SECRET_KEY)")

    def open(self, sealed: str) -> str:
        raise RuntimeError("no secret box wired (api/ builds one from LOYALTY_SECRET_KEY)")


UNWIRED_SECRETS: SecretBox = _UnwiredSecrets()
