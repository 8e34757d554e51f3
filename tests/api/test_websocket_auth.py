"""WebSocket credentials as browsers send them, checked for every operation and while open.

The client is tests/api/graphql_ws.py: the messages graphql-ws (Apollo's GraphQLWsLink) sends,
from a page on another origin that cannot set headers on a WebSocket.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

import api.socket_handler
from api.events import WalletBroker
from loyalty.i18n import translate
from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, enroll
from tests.api.graphql_ws import SocketClosed, graphql_ws

WALLET_UPDATED = "subscription { walletUpdated { balance pendingBalance lifetimeEarned } }"
UPDATE_PROFILE = """
mutation($name: String) { updateProfile(input: { displayName: $name }) {
  member { displayName } userErrors { code } } }
"""
ROTATE = "mutation { rotateMemberTokenSecret { kid userErrors { code } } }"
REVOKE = """
mutation($kid: String!) { revokeMemberTokenKey(kid: $kid) { userErrors { code } } }
"""


def bearer(token: str, locale: str | None = None) -> dict[str, str]:
    payload = {"authorization": f"Bearer {token}"}
    if locale is not None:
        payload["accept-language"] = locale
    return payload


async def order(api: Api, creds: TenantCreds, member: str, order_id: str, total: str) -> None:
    fields = {"memberExternalId": member, "orderId": order_id, "total": total, "currency": "SAR"}
    body = await api.gql(RECORD_ORDER, {"input": fields}, token=creds.events)
    assert body["data"]["recordOrder"]["userErrors"] == [], body


async def listening(broker: WalletBroker, count: int = 1) -> None:
    """Wait until `count` subscriptions have reached the broker (their tasks run on their own)."""
    for _ in range(500):
        if broker.listeners() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the subscription never started")


async def display_name(api: Api, creds: TenantCreds, member: str) -> Any:
    query = "query($id: ID!) { member(externalId: $id) { displayName } }"
    body = await api.gql(query, {"id": member}, token=creds.admin)
    return body["data"]["member"]["displayName"]


async def test_a_browser_client_sends_its_token_in_connection_init_and_hears_its_wallet(
    api: Api, acme: TenantCreds, broker: WalletBroker
) -> None:
    # given a page on another origin, no Authorization header, the token in connectionParams
    token = acme.member_token(api, "c1")
    async with graphql_ws(api.app) as ws:
        ack = await ws.connection_init(bearer(token, "ar"))
        await ws.subscribe("1", WALLET_UPDATED)
        await listening(broker)
        # when an order is recorded for c1
        await order(api, acme, "c1", "o-1", "80")
        # then the wallet arrives as a `next`, and `complete` ends it
        event = await ws.receive()
        await ws.complete("1")
        assert await ws.nothing_within(0.1)
    assert ws.subprotocol == "graphql-transport-ws"
    assert ack == {"type": "connection_ack"}
    assert event == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": {"walletUpdated": {"balance": 0, "pendingBalance": 80, "lifetimeEarned": 80}}
        },
    }


async def test_the_language_comes_from_connection_init_too(api: Api, acme: TenantCreds) -> None:
    # given an admin key (not a member) with Arabic asked for in the payload
    async with graphql_ws(api.app, {"accept-language": "en"}) as ws:
        await ws.connection_init(bearer(acme.admin, "ar"))
        # when it subscribes to a member's stream
        await ws.subscribe("1", WALLET_UPDATED)
        refusal = await ws.receive()
    # then the refusal is coded and in Arabic
    assert refusal["type"] == "error" and refusal["id"] == "1"
    [error] = refusal["payload"]
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert error["message"] == translate("error.FORBIDDEN", "ar")


async def test_the_payloads_credential_replaces_the_headers(
    api: Api, acme: TenantCreds, broker: WalletBroker
) -> None:
    # given a stale token in the upgrade headers and a valid one in connection_init
    stale = acme.token_for(api, "c9", timedelta(minutes=1))
    api.clock.advance(timedelta(minutes=2))
    headers = {"authorization": f"Bearer {stale}"}
    async with graphql_ws(api.app, headers) as ws:
        ack = await ws.connection_init(bearer(acme.member_token(api, "c1")))
        await ws.subscribe("1", WALLET_UPDATED)
        await listening(broker)
        await order(api, acme, "c1", "o-1", "10")
        event = await ws.receive()
    # then the socket acts for c1
    assert ack == {"type": "connection_ack"}
    assert event["payload"]["data"]["walletUpdated"]["pendingBalance"] == 10


@pytest.mark.parametrize("which", ["forged", "expired", "malformed", "unknown key"])
async def test_an_invalid_credential_is_refused_at_connection_init(
    api: Api, acme: TenantCreds, globex: TenantCreds, which: str
) -> None:
    # given
    if which == "forged":  # acme's issuer, signed with globex's secret and kid
        forged = TenantCreds("acme", "", "", globex.secret, globex.kid)
        payload = bearer(forged.member_token(api, "c1"))
    elif which == "expired":
        token = acme.token_for(api, "c1", timedelta(minutes=5))
        api.clock.advance(timedelta(minutes=6))
        payload = bearer(token)
    elif which == "malformed":
        payload = {"authorization": f"Token {acme.member_token(api, 'c1')}"}
    else:
        payload = bearer("lk_" + "x" * 40)
    # when / then the socket closes with 4403 instead of acknowledging
    async with graphql_ws(api.app) as ws:
        with pytest.raises(SocketClosed) as closed:
            await ws.connection_init(payload)
    assert (closed.value.code, closed.value.reason) == (4403, "Forbidden")


async def test_a_token_that_expired_on_an_open_socket_runs_nothing_more(
    api: Api, acme: TenantCreds
) -> None:
    # given a socket opened with a token valid for 5 more minutes
    await enroll(api, acme, "c1")
    token = acme.token_for(api, "c1", timedelta(minutes=5))
    async with graphql_ws(api.app) as ws:
        await ws.connection_init(bearer(token))
        await ws.subscribe("1", UPDATE_PROFILE, {"name": "Early"})
        changed = await ws.receive()
        assert await ws.receive() == {"id": "1", "type": "complete"}
        # when the token expires and the app sends another mutation
        api.clock.advance(timedelta(minutes=6))
        await ws.subscribe("2", UPDATE_PROFILE, {"name": "Late"})
        # then the socket closes with 4403 and the mutation did not run
        with pytest.raises(SocketClosed) as closed:
            await ws.receive()
    assert changed["payload"]["data"]["updateProfile"]["member"] == {"displayName": "Early"}
    assert closed.value.code == 4403
    assert await display_name(api, acme, "c1") == "Early"


@pytest.fixture
def quick_recheck(monkeypatch: pytest.MonkeyPatch) -> None:
    # Production re-checks every few seconds; tests do not wait that long.
    monkeypatch.setattr(api.socket_handler, "CREDENTIAL_RECHECK", timedelta(milliseconds=20))


@pytest.mark.usefixtures("quick_recheck")
async def test_a_listening_socket_is_closed_when_its_token_expires(
    api: Api, acme: TenantCreds, broker: WalletBroker
) -> None:
    # given a subscribed socket whose token has 5 minutes left
    token = acme.token_for(api, "c1", timedelta(minutes=5))
    async with graphql_ws(api.app) as ws:
        await ws.connection_init(bearer(token))
        await ws.subscribe("1", WALLET_UPDATED)
        await listening(broker)
        assert await ws.nothing_within(0.1)  # re-checked several times, still valid
        # when the token expires
        api.clock.advance(timedelta(minutes=6))  # past the 30 s leeway
        # then the server closes the socket with 4403, and the stream stops listening
        with pytest.raises(SocketClosed) as closed:
            await ws.receive()
    assert closed.value.code == 4403
    assert broker.listeners() == 0


@pytest.mark.usefixtures("quick_recheck")
async def test_revoking_the_signing_key_closes_open_sockets_within_seconds(
    api: Api, acme: TenantCreds, broker: WalletBroker
) -> None:
    # given c1 listening with a token signed by the original key, and a second key added
    token = acme.member_token(api, "c1")
    rotated = await api.gql(ROTATE, token=acme.admin)
    assert rotated["data"]["rotateMemberTokenSecret"]["userErrors"] == []
    async with graphql_ws(api.app) as ws:
        await ws.connection_init(bearer(token))
        await ws.subscribe("1", WALLET_UPDATED)
        await listening(broker)
        # when the merchant revokes the original key, and c1 earns afterwards
        revoked = await api.gql(REVOKE, {"kid": acme.kid}, token=acme.admin)
        assert revoked["data"]["revokeMemberTokenKey"]["userErrors"] == []
        with pytest.raises(SocketClosed) as closed:
            await ws.receive(within=3)
        await order(api, acme, "c1", "o-1", "80")
    # then the socket was closed with 4403 before any wallet event reached it
    assert closed.value.code == 4403
    assert broker.listeners() == 0
