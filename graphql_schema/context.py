"""The typed request context, what a resolver knows about the request (RequestScope), and the
one Info alias every field uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import strawberry

from loyalty.errors import forbidden, unauthenticated
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.principal import Principal
from loyalty.rewards import Reward
from loyalty.tenants import Tenant
from loyalty.wallet_events import WalletFeed

# Checks a merchant's public key PEM for an algorithm (ValueError if unusable). It needs a
# crypto library, which lives outside the domain: api/ passes its JWT adapter's check.
PublicKeyCheck = Callable[[str, str], None]


@dataclass
class RequestScope:
    deps: Deps
    tenant: Tenant | None
    member: Member | None
    locale: str
    request_id: str
    # True when `member` was read from the store by this very HTTP request (authentication
    # enrols, which reads it): re-reading it moments later would return the same document.
    # A WebSocket's scope lives as long as the socket, so there the member goes stale.
    member_read_now: bool = False
    # Per-request caches (dataloader role): one catalogue read per request at most.
    _rewards: dict[str, list[Reward]] = field(default_factory=dict)

    def require_tenant(self) -> Tenant:
        if self.tenant is None:
            raise unauthenticated("no tenant")
        return self.tenant

    def require_member(self) -> Member:
        if self.member is None:
            raise forbidden("member token required")
        return self.member

    async def rewards(self, *, active_only: bool) -> list[Reward]:
        tenant = self.require_tenant()
        cache_key = "active" if active_only else "all"
        if cache_key not in self._rewards:
            self._rewards[cache_key] = await self.deps.rewards.list(
                tenant.slug, active_only=active_only
            )
        return self._rewards[cache_key]

    async def current_member(self) -> Member:
        """The caller as of this request: HTTP requests read it while authenticating, so it is
        reused; a long-lived WebSocket re-reads it."""
        if self.member_read_now:
            return self.require_member()
        return await self.refreshed_member()

    async def refreshed_member(self) -> Member:
        """Read again: for answers given after this request changed the member."""
        member = self.require_member()
        fresh = await self.deps.members.get(member.tenant, member.id)
        return fresh or member


@dataclass
class Context:
    scope: RequestScope
    principal: Principal
    broker: WalletFeed
    public_key_check: PublicKeyCheck
    request: Any = None
    response: Any = None
    public_url: str = ""  # base of the icon URLs, without a trailing slash
    # graphql-transport-ws: the connection_init payload (Strawberry sets it).
    connection_params: dict[str, object] | None = None


Info = strawberry.Info[Context, None]
