"""connectStore, disconnectStore and storeConnections (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope
from graphql_schema.store_connections import (
    ConnectStoreInput,
    ConnectStorePayload,
    DisconnectStorePayload,
    StoreConnection,
    StorePlatform,
)
from loyalty import stores as domain
from loyalty.usecases import store_connections as usecase


def _shown(info: Info, connection: domain.StoreConnection) -> StoreConnection:
    url = usecase.webhook_url(info.context.public_url, info.context.scope.deps, connection)
    return StoreConnection.of(connection, url)


@strawberry.type
class StoreConnectionQuery:
    @strawberry.field(permission_classes=[HasAdminScope])
    async def store_connections(self, info: Info) -> list[StoreConnection]:
        scope = info.context.scope
        found = await usecase.store_connections(scope.deps, scope.require_tenant())
        return [_shown(info, c) for c in found]


@strawberry.type
class StoreConnectionMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def connect_store(self, info: Info, input: ConnectStoreInput) -> ConnectStorePayload:
        scope = info.context.scope
        connection, errors = await attempt(
            scope.locale,
            lambda: usecase.connect_store(
                scope.deps,
                scope.require_tenant(),
                platform=input.platform,
                webhook_secret=input.webhook_secret,
                store_id=input.store_id,
                earn_on=input.earn_on or domain.OrderStage.PAID,
            ),
        )
        if connection is None:
            return ConnectStorePayload(user_errors=errors)
        return ConnectStorePayload(connection=_shown(info, connection))

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def disconnect_store(self, info: Info, platform: StorePlatform) -> DisconnectStorePayload:
        scope = info.context.scope
        connection, errors = await attempt(
            scope.locale,
            lambda: usecase.disconnect_store(scope.deps, scope.require_tenant(), platform),
        )
        if connection is None:
            return DisconnectStorePayload(user_errors=errors)
        return DisconnectStorePayload(connection=_shown(info, connection))
