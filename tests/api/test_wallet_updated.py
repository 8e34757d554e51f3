"""walletUpdated over WebSocket (graphql-transport-ws)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from api.app import build_runtime, create_app
from api.auth.member_tokens import issue_member_token
from api.settings import Settings
from loyalty.clock import FrozenClock
from tests.api.conftest import CREATE_TENANT, PLATFORM_KEY, RECORD_ORDER

SUBSCRIBE = "subscription { walletUpdated { balance pendingBalance lifetimeEarned } }"


def _post(client: TestClient, query: str, variables: dict[str, Any], token: str) -> Any:
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()["data"]


def test_a_member_hears_about_their_own_wallet_changes_only() -> None:
    # given a tenant with two members, and c1 subscribed
    clock = FrozenClock()
    runtime = build_runtime(Settings(platform_key=PLATFORM_KEY, db_name="ws_test"), clock=clock)
    with TestClient(create_app(runtime)) as client:
        created = _post(
            client,
            CREATE_TENANT,
            {"input": {"slug": "acme", "name": "Acme", "currency": "SAR", "defaultLocale": "en"}},
            PLATFORM_KEY,
        )["createTenant"]
        tenant = created["tenant"]["slug"]

        def token(member: str) -> str:
            from loyalty.tenants import MemberKey

            key = MemberKey(
                created["memberTokenKid"], "HS256", created["memberTokenSecret"], None, clock.now()
            )
            return issue_member_token(
                tenant_slug=tenant,
                key=key,
                subject=member,
                now=clock.now(),
                ttl=timedelta(hours=1),
            )

        c1, c2 = token("c1"), token("c2")
        _post(client, "{ me { externalId } }", {}, c2)
        # The subscription authenticates from the upgrade request's headers.
        headers = {"Authorization": f"Bearer {c1}"}
        with client.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers=headers
        ) as ws:
            ws.send_json({"type": "connection_init"})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
            # when an order is recorded for c2, then one for c1
            for member, order in (("c2", "o-2"), ("c1", "o-1")):
                result = _post(
                    client,
                    RECORD_ORDER,
                    {
                        "input": {
                            "memberExternalId": member,
                            "orderId": order,
                            "total": "80",
                            "currency": "SAR",
                        }
                    },
                    created["eventsApiKey"],
                )
                assert result["recordOrder"]["userErrors"] == []
            # then c1 receives exactly its own wallet
            message = ws.receive_json()
            assert message == {
                "id": "1",
                "type": "next",
                "payload": {
                    "data": {
                        "walletUpdated": {"balance": 0, "pendingBalance": 80, "lifetimeEarned": 80}
                    }
                },
            }
            ws.send_json({"id": "1", "type": "complete"})


def test_subscribing_without_a_member_token_is_refused() -> None:
    # given
    runtime = build_runtime(Settings(platform_key=PLATFORM_KEY, db_name="ws_test_2"))
    with (
        TestClient(create_app(runtime)) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        # when
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        # then
        message = ws.receive_json()
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
