"""walletUpdated: the member's wallet, pushed after every committed change."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from graphql_schema.context import Info
from graphql_schema.permissions import IsMember
from graphql_schema.wallet import Wallet


@strawberry.type
class Subscription:
    @strawberry.subscription(permission_classes=[IsMember])
    async def wallet_updated(self, info: Info) -> AsyncGenerator[Wallet, None]:
        scope = info.context.scope
        member = scope.require_member()
        broker = info.context.broker
        queue = broker.subscribe(member.tenant, member.id)
        try:
            while True:
                await queue.get()
                fresh = await scope.deps.members.get(member.tenant, member.id)
                if fresh is not None:
                    yield Wallet(_member=fresh, _now=scope.deps.clock.now())
        finally:
            broker.unsubscribe(member.tenant, member.id, queue)
