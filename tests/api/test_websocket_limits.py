"""WebSocket limits: connection_init must come promptly; subscriptions per socket are capped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

import api.app
from api.app import MAX_SUBSCRIPTIONS_PER_CONNECTION, build_runtime, create_app
from api.auth.member_tokens import issue_member_token
from api.settings import Settings
from loyalty.clock import FrozenClock
from loyalty.tenants import MemberKey
from tests.api.conftest import CREATE_TENANT, PLATFORM_KEY

SUBSCRIBE = "subscription { walletUpdated { balance } }"


def test_a_socket_without_connection_init_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a short wait (production: api.app.CONNECTION_INIT_TIMEOUT)
    monkeypatch.setattr(api.app, "CONNECTION_INIT_TIMEOUT", timedelta(milliseconds=100))
    runtime = build_runtime(Settings(platform_key=PLATFORM_KEY, db_name="ws_init"))
    # when the client says nothing / then the server closes with 4408
    with (
        TestClient(create_app(runtime)) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        ws.receive_json()
    assert closed.value.code == 4408


def test_subscriptions_per_connection_are_capped() -> None:
    # given a member's acknowledged socket
    clock = FrozenClock()
    runtime = build_runtime(Settings(platform_key=PLATFORM_KEY, db_name="ws_cap"), clock=clock)
    with TestClient(create_app(runtime)) as client:
        created = client.post(
            "/graphql",
            json={
                "query": CREATE_TENANT,
                "variables": {
                    "input": {"slug": "acme", "name": "A", "currency": "SAR", "defaultLocale": "en"}
                },
            },
            headers={"Authorization": f"Bearer {PLATFORM_KEY}"},
        ).json()["data"]["createTenant"]
        key = MemberKey(
            created["memberTokenKid"], "HS256", created["memberTokenSecret"], None, clock.now()
        )
        token = issue_member_token(
            tenant_slug="acme", key=key, subject="c1", now=clock.now(), ttl=timedelta(hours=1)
        )
        with client.websocket_connect(
            "/graphql",
            subprotocols=["graphql-transport-ws"],
            headers={"Authorization": f"Bearer {token}"},
        ) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            # when one more subscription than allowed is started
            for index in range(MAX_SUBSCRIPTIONS_PER_CONNECTION + 1):
                ws.send_json(
                    {"id": str(index), "type": "subscribe", "payload": {"query": SUBSCRIBE}}
                )
            refusal = ws.receive_json()
    # then only the extra one is refused (the others stay open, silent until a change)
    assert refusal["id"] == str(MAX_SUBSCRIPTIONS_PER_CONNECTION)
    assert refusal["type"] == "error"
    assert refusal["payload"][0]["message"] == "Subscription limit reached"
