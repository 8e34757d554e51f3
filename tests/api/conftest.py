"""GraphQL over HTTP through the ASGI app: a fresh app per test on its own database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest

from api.app import Runtime, create_app
from api.auth.member_tokens import issue_member_token
from api.events import WalletBroker
from api.settings import Settings
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from mongo.client import Database

PLATFORM_KEY = "platform-key-for-tests-0123456789"


@dataclass
class Api:
    client: httpx.AsyncClient
    deps: Deps
    clock: FrozenClock
    # Every answer reports its cost in `extensions`; tests compare bodies without it and
    # read it here when they care (tests/api/test_query_cost.py).
    last_extensions: dict[str, Any] | None = None
    database: Database | None = None
    app: Any = None  # the ASGI app itself, for tests that watch a response's chunks

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        tenant: str | None = None,
        locale: str | None = None,
    ) -> dict[str, Any]:
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if tenant is not None:
            headers["X-Tenant"] = tenant
        if locale is not None:
            headers["Accept-Language"] = locale
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        self.last_extensions = body.pop("extensions", None)
        return body


@dataclass
class TenantCreds:
    slug: str
    admin: str
    events: str
    secret: str
    kid: str

    def member_token(self, api: Api, member: str, ttl: timedelta = timedelta(hours=1)) -> str:
        return self.token_for(api, member, ttl)

    def token_for(self, api: Api, member: str, ttl: timedelta) -> str:
        from loyalty.tenants import MemberKey

        key = MemberKey(self.kid, "HS256", self.secret, None, api.clock.now())
        return issue_member_token(
            tenant_slug=self.slug, key=key, subject=member, now=api.clock.now(), ttl=ttl
        )


@pytest.fixture
async def api(
    database: Database, clock: FrozenClock, broker: WalletBroker, deps: Deps
) -> AsyncIterator[Api]:
    settings = Settings(platform_key=PLATFORM_KEY)
    runtime = Runtime(settings=settings, database=database, deps=deps, broker=broker)
    app = create_app(runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client=client, deps=deps, clock=clock, database=database, app=app)


CREATE_TENANT = """
mutation($input: CreateTenantInput!) {
  createTenant(input: $input) {
    tenant { slug }
    adminApiKey eventsApiKey memberTokenSecret memberTokenKid
    userErrors { code field message }
  }
}
"""


async def create_tenant(api: Api, slug: str, currency: str = "SAR") -> TenantCreds:
    body = await api.gql(
        CREATE_TENANT,
        {
            "input": {
                "slug": slug,
                "name": slug.title(),
                "currency": currency,
                "defaultLocale": "en",
            }
        },
        token=PLATFORM_KEY,
    )
    data = body["data"]["createTenant"]
    assert data["userErrors"] == [], data
    return TenantCreds(
        slug=slug,
        admin=data["adminApiKey"],
        events=data["eventsApiKey"],
        secret=data["memberTokenSecret"],
        kid=data["memberTokenKid"],
    )


@pytest.fixture
async def acme(api: Api) -> TenantCreds:
    return await create_tenant(api, "acme")


@pytest.fixture
async def globex(api: Api) -> TenantCreds:
    return await create_tenant(api, "globex")


ENROLL = """
mutation($id: ID!) { enrollMember(input: { externalId: $id }) {
  member { externalId } userErrors { code } } }
"""


async def enroll(api: Api, creds: TenantCreds, external_id: str) -> None:
    body = await api.gql(ENROLL, {"id": external_id}, token=creds.admin)
    assert body["data"]["enrollMember"]["userErrors"] == [], body


RECORD_ORDER = """
mutation($input: RecordOrderInput!) {
  recordOrder(input: $input) {
    pointsEarned pending
    member { externalId wallet { balance pendingBalance lifetimeEarned } }
    userErrors { code field message }
  }
}
"""

ADJUST = """
mutation($input: AdjustPointsInput!) {
  adjustPoints(input: $input) {
    member { wallet { balance } }
    userErrors { code field message }
  }
}
"""

WALLET = """
{ me { externalId wallet { balance pendingBalance lifetimeEarned
  transactions(first: 50) { edges { node { type points balanceAfter reason orderId } } } } } }
"""


async def give_points(api: Api, creds: TenantCreds, member: str, points: int, key: str) -> None:
    body = await api.gql(
        ADJUST,
        {
            "input": {
                "memberExternalId": member,
                "points": points,
                "reason": "test",
                "idempotencyKey": key,
            }
        },
        token=creds.admin,
    )
    assert body["data"]["adjustPoints"]["userErrors"] == [], body


ADMIN_WALLET = """
query($id: ID!) {{ member(externalId: $id) {{ wallet {{ balance pendingBalance lifetimeEarned
  transactions(first: 50) {{ edges {{ node {{ {fields} }} }} }} }} }} }}
"""


async def admin_wallet(
    api: Api, creds: TenantCreds, member: str, fields: str
) -> tuple[int, int, int, list[Any]]:
    """A member's balances and transactions (newest first, with `fields`), read as the admin:
    what tests compare before and after a refused call to prove nothing changed."""
    body = await api.gql(ADMIN_WALLET.format(fields=fields), {"id": member}, token=creds.admin)
    wallet = body["data"]["member"]["wallet"]
    nodes = [edge["node"] for edge in wallet["transactions"]["edges"]]
    return wallet["balance"], wallet["pendingBalance"], wallet["lifetimeEarned"], nodes
