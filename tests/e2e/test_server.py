"""A real `loyalty serve` process on loopback: HTTP and WebSocket as an app would use them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

PLATFORM_KEY = "e2e-platform-key-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "LOYALTY_PLATFORM_KEY": PLATFORM_KEY,
        "LOYALTY_MONGODB_URI": os.environ.get("LOYALTY_TEST_MONGODB_URI", "memory://"),
        "LOYALTY_DB_NAME": f"loyalty_e2e_{port}",
        "LOYALTY_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _gql(base: str, query: str, variables: dict[str, Any], token: str) -> Any:
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=5,
    )
    assert response.status_code == 200
    return response.json()["data"]


def test_a_store_and_an_app_talk_to_a_running_server(server: str) -> None:
    # given a tenant created by the platform
    created = _gql(
        server,
        """mutation($i: CreateTenantInput!) { createTenant(input: $i) {
             adminApiKey eventsApiKey memberTokenSecret memberTokenKid userErrors { code } } }""",
        {"i": {"slug": "e2e", "name": "E2E", "currency": "AED", "defaultLocale": "ar"}},
        PLATFORM_KEY,
    )["createTenant"]
    assert created["userErrors"] == []
    import jwt

    now = int(time.time())
    token = jwt.encode(
        {"iss": "e2e", "sub": "shopper-1", "aud": "loyalty", "iat": now, "exp": now + 600},
        created["memberTokenSecret"],
        algorithm="HS256",
        headers={"kid": created["memberTokenKid"]},
    )
    # the app opens (enrols the member) and subscribes over a real WebSocket
    assert _gql(server, "{ me { externalId } }", {}, token) == {"me": {"externalId": "shopper-1"}}
    ws_url = server.replace("http://", "ws://") + "/graphql"
    with connect(
        ws_url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        additional_headers={"Authorization": f"Bearer {token}"},
    ) as ws:
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "connection_ack"}
        ws.send(
            json.dumps(
                {
                    "id": "w",
                    "type": "subscribe",
                    "payload": {"query": "subscription { walletUpdated { pendingBalance } }"},
                }
            )
        )
        time.sleep(0.2)  # let the subscription register before the store writes
        # when the store records an order
        recorded = _gql(
            server,
            """mutation($i: RecordOrderInput!) { recordOrder(input: $i) {
                 pointsEarned pending userErrors { code } } }""",
            {
                "i": {
                    "memberExternalId": "shopper-1",
                    "orderId": "A1",
                    "total": "99.50",
                    "currency": "AED",
                }
            },
            created["eventsApiKey"],
        )["recordOrder"]
        # then the response and the pushed wallet agree
        assert recorded == {"pointsEarned": 99, "pending": True, "userErrors": []}
        pushed = json.loads(ws.recv(timeout=5))
        assert pushed["payload"]["data"] == {"walletUpdated": {"pendingBalance": 99}}
