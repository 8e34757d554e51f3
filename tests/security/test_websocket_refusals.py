"""walletUpdated over graphql-transport-ws, for every principal that must not get a stream:
the exact coded error, in the request's language, or (an invalid credential) the socket closed
with 4403 at connection_init; and another tenant's member hears nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.app import build_runtime, create_app
from api.auth.member_tokens import issue_member_token
from api.settings import Settings
from loyalty.clock import FrozenClock
from loyalty.i18n import translate
from loyalty.tenants import MemberKey
from tests.api.conftest import CREATE_TENANT, PLATFORM_KEY, RECORD_ORDER

SUBSCRIBE = "subscription { walletUpdated { balance pendingBalance } }"


@dataclass
class Tenant:
    slug: str
    admin: str
    events: str
    key: MemberKey


@dataclass
class World:
    client: TestClient
    clock: FrozenClock
    acme: Tenant
    globex: Tenant

    def token(self, slug: str, member: str, key: MemberKey, ttl: timedelta) -> str:
        now = self.clock.now()
        return issue_member_token(tenant_slug=slug, key=key, subject=member, now=now, ttl=ttl)

    def post(self, query: str, variables: dict[str, Any], token: str) -> Any:
        response = self.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.json()["data"]

    def tenant(self, slug: str) -> Tenant:
        fields = {"slug": slug, "name": slug, "currency": "SAR", "defaultLocale": "en"}
        variables = {"input": fields}
        created = self.post(CREATE_TENANT, variables, PLATFORM_KEY)["createTenant"]
        kid, secret = created["memberTokenKid"], created["memberTokenSecret"]
        key = MemberKey(kid, "HS256", secret, None, self.clock.now())
        return Tenant(slug, created["adminApiKey"], created["eventsApiKey"], key)

    def order(self, tenant: Tenant, member: str, order_id: str, total: str) -> None:
        order = {"memberExternalId": member, "orderId": order_id, "total": total, "currency": "SAR"}
        result = self.post(RECORD_ORDER, {"input": order}, tenant.events)
        assert result["recordOrder"]["userErrors"] == []


@pytest.fixture
def world() -> Iterator[World]:
    clock = FrozenClock()
    runtime = build_runtime(Settings(platform_key=PLATFORM_KEY, db_name="ws_refusals"), clock=clock)
    with TestClient(create_app(runtime)) as client:
        placeholder = MemberKey("k", "HS256", "s" * 32, None, clock.now())
        unset = Tenant("", "", "", placeholder)
        world = World(client, clock, unset, unset)
        world.acme, world.globex = world.tenant("acme"), world.tenant("globex")
        yield world


def refusal(world: World, headers: dict[str, str]) -> dict[str, Any]:
    """Subscribe with these upgrade headers; return the one error the server answers with."""
    with world.client.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
    ) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        message: dict[str, Any] = ws.receive_json()
    assert message["type"] == "error" and message["id"] == "1"
    assert len(message["payload"]) == 1
    error: dict[str, Any] = message["payload"][0]
    return error


def closed_at_init(world: World, headers: dict[str, str]) -> tuple[int, str]:
    """Open a socket with these upgrade headers; return how connection_init closed it."""
    with (
        world.client.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
        ) as ws,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        ws.send_json({"type": "connection_init"})
        ws.receive_json()
    return closed.value.code, closed.value.reason


def bearer(token: str, locale: str = "en") -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept-Language": locale}


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_no_token_is_unauthenticated_in_the_request_language(world: World, locale: str) -> None:
    error = refusal(world, {"Accept-Language": locale})
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["message"] == translate("error.UNAUTHENTICATED", locale)


def test_a_token_signed_with_another_tenants_secret_is_refused_at_init(world: World) -> None:
    # an acme member token forged with globex's signing key (and kid)
    forged = world.token("acme", "c1", world.globex.key, timedelta(hours=1))
    assert closed_at_init(world, bearer(forged)) == (4403, "Forbidden")


def test_an_expired_member_token_is_refused_at_init(world: World) -> None:
    token = world.token("acme", "c1", world.acme.key, timedelta(minutes=5))
    world.clock.advance(timedelta(minutes=6))
    assert closed_at_init(world, bearer(token)) == (4403, "Forbidden")


@pytest.mark.parametrize("which", ["acme-admin", "acme-events", "globex-admin", "platform"])
def test_keys_that_are_not_members_are_forbidden(world: World, which: str) -> None:
    keys = {
        "acme-admin": world.acme.admin,
        "acme-events": world.acme.events,
        "globex-admin": world.globex.admin,
        "platform": PLATFORM_KEY,
    }
    error = refusal(world, bearer(keys[which], "ar"))
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert error["message"] == translate("error.FORBIDDEN", "ar")


def test_another_tenants_member_with_the_same_id_hears_nothing(world: World) -> None:
    # given globex's c1 subscribed (same external id as acme's c1)
    token = world.token("globex", "c1", world.globex.key, timedelta(hours=1))
    acme_c1 = world.token("acme", "c1", world.acme.key, timedelta(hours=1))
    for member_token in (token, acme_c1):  # a member's first call enrolls them
        assert world.post("{ me { externalId } }", {}, member_token)["me"]["externalId"] == "c1"
    with world.client.websocket_connect(
        "/graphql", subprotocols=["graphql-transport-ws"], headers=bearer(token)
    ) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        # when acme's c1 earns, then globex's c1 earns
        world.order(world.acme, "c1", "o-acme", "500")
        world.order(world.globex, "c1", "o-globex", "7")
        # then the first event globex's c1 receives is its own (7 pending, not 500)
        message = ws.receive_json()
        ws.send_json({"id": "1", "type": "complete"})
    assert message["payload"]["data"]["walletUpdated"] == {"balance": 0, "pendingBalance": 7}
