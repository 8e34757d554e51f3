"""Store connections: platforms, the earning stage, the unknown-customer policy, and what a
connection shows the merchant (the URL to paste, event counts)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.errors import UserError
from loyalty import stores as domain

strawberry.enum(domain.StorePlatform, name="StorePlatform")
strawberry.enum(domain.OrderStage, name="OrderStage", description="When a store order earns.")
strawberry.enum(
    domain.UnknownCustomerPolicy,
    name="UnknownCustomerPolicy",
    description="An order from a customer who is not a member: ENROL them, HOLD the order "
    "until they enrol, or REFUSE it.",
)
strawberry.enum(
    domain.OrderTotalBasis,
    name="OrderTotalBasis",
    description="Which total of a store order earns: as reported, or net of shipping and tax.",
)
StorePlatform = domain.StorePlatform
OrderStage = domain.OrderStage


@strawberry.input
class ConnectStoreInput:
    platform: StorePlatform
    webhook_secret: str = strawberry.field(
        description="Salla: the webhook secret; Shopify: the app's client secret; Zid: a token "
        "you choose (URL-safe, it rides in the webhook URL); custom: a Standard Webhooks "
        "secret (whsec_...)."
    )
    store_id: str | None = None
    earn_on: OrderStage | None = OrderStage.PAID


@strawberry.type
class StoreConnection:
    platform: StorePlatform
    store_id: str | None
    webhook_url: str = strawberry.field(description="Paste this into the platform.")
    earn_on: OrderStage
    connected_at: datetime
    last_event_at: datetime | None
    events_accepted: int
    events_rejected: int

    @classmethod
    def of(cls, connection: domain.StoreConnection, webhook_url: str) -> StoreConnection:
        return cls(
            platform=connection.platform,
            store_id=connection.store_id,
            webhook_url=webhook_url,
            earn_on=connection.earn_on,
            connected_at=connection.connected_at,
            last_event_at=connection.last_event_at,
            events_accepted=connection.events_accepted,
            events_rejected=connection.events_rejected,
        )


@strawberry.type
class ConnectStorePayload:
    connection: StoreConnection | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DisconnectStorePayload:
    connection: StoreConnection | None = strawberry.field(
        default=None, description="The connection as it was."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
