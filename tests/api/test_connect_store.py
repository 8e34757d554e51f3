"""connectStore, storeConnections and disconnectStore (admin key): the URL to paste, the
secret kept encrypted, refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds
from tests.api.store_simulator import CONNECT, CONNECTIONS, SECRETS, connect


async def connect_with(api: Api, token: str, **fields: Any) -> dict[str, Any]:
    body = await api.gql(CONNECT, {"input": fields}, token=token)
    return body


async def test_connecting_shows_the_url_to_paste(api: Api, acme: TenantCreds) -> None:
    # when
    payload = await connect(api, acme, "salla", earn_on="DELIVERED")
    # then
    assert payload["connection"] == {
        "platform": "SALLA",
        "storeId": None,
        "webhookUrl": "http://127.0.0.1:8000/webhooks/salla/acme",
        "earnOn": "DELIVERED",
        "lastEventAt": None,
        "eventsAccepted": 0,
        "eventsRejected": 0,
    }


async def test_zid_url_carries_the_token_and_paid_is_the_default_stage(
    api: Api, acme: TenantCreds
) -> None:
    # when
    body = await connect_with(
        api, acme.admin, platform="ZID", webhookSecret=SECRETS["zid"], storeId="251073"
    )
    # then
    connection = body["data"]["connectStore"]["connection"]
    assert connection["webhookUrl"] == (
        f"http://127.0.0.1:8000/webhooks/zid/acme?token={SECRETS['zid']}"
    )
    assert (connection["earnOn"], connection["storeId"]) == ("PAID", "251073")


async def test_the_secret_is_stored_encrypted(api: Api, acme: TenantCreds) -> None:
    # when
    await connect(api, acme, "shopify")
    # then the stored document holds no trace of the secret
    assert api.database is not None
    doc = await api.database.db["store_connections"].find_one({"tenant": "acme"})
    assert SECRETS["shopify"] not in str(doc)
    assert doc["secret"].startswith("gAAAAA")  # a Fernet token


@pytest.mark.parametrize(
    ("platform", "secret"),
    [
        ("SALLA", "short"),
        ("SALLA", "has spaces in the secret"),
        ("ZID", "not/url&safe=token-value"),
        ("CUSTOM", "plain-secret-without-prefix"),
        ("CUSTOM", "whsec_dG9vLXNob3J0"),  # base64 of "too-short": under 24 bytes
        ("CUSTOM", "whsec_not*base64*at*all*!"),
    ],
)
async def test_an_unusable_secret_is_refused_and_nothing_is_connected(
    api: Api, acme: TenantCreds, platform: str, secret: str
) -> None:
    # when
    body = await connect_with(api, acme.admin, platform=platform, webhookSecret=secret)
    # then
    payload = body["data"]["connectStore"]
    assert payload["connection"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("INVALID_WEBHOOK_SECRET", ["input", "webhookSecret"])
    ]
    listed = await api.gql(CONNECTIONS, token=acme.admin)
    assert listed["data"]["storeConnections"] == []


async def test_the_refusal_reads_in_arabic(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(
        CONNECT,
        {"input": {"platform": "SALLA", "webhookSecret": "short"}},
        token=acme.admin,
        locale="ar",
    )
    message = body["data"]["connectStore"]["userErrors"][0]["message"]
    assert message.startswith("سر الويب هوك غير صالح")
    assert "عدد أحرفه بين 16 و256" in message


async def test_reconnecting_replaces_the_secret_and_keeps_the_counts(
    api: Api, acme: TenantCreds
) -> None:
    # given a connection that refused one delivery
    await connect(api, acme, "salla")
    await api.client.post("/webhooks/salla/acme", content=b"{}", headers={"X-Salla-Signature": "0"})
    # when it is connected again with another stage
    payload = await connect(api, acme, "salla", earn_on="CREATED")
    # then
    connection = payload["connection"]
    assert (connection["earnOn"], connection["eventsRejected"]) == ("CREATED", 1)


async def test_disconnecting_stops_the_door(api: Api, acme: TenantCreds) -> None:
    # given
    await connect(api, acme, "custom")
    # when
    body = await api.gql(
        "mutation { disconnectStore(platform: CUSTOM) { connection { platform } "
        "userErrors { code } } }",
        token=acme.admin,
    )
    # then
    assert body["data"]["disconnectStore"] == {
        "connection": {"platform": "CUSTOM"},
        "userErrors": [],
    }
    response = await api.client.post("/webhooks/custom/acme", content=b"{}")
    assert response.status_code == 404
    listed = await api.gql(CONNECTIONS, token=acme.admin)
    assert listed["data"]["storeConnections"] == []


@pytest.mark.parametrize("which", ["events", "member"])
async def test_only_the_admin_key_manages_connections(
    api: Api, acme: TenantCreds, which: str
) -> None:
    token = acme.events if which == "events" else acme.member_token(api, "m1")
    body = await connect_with(api, token, platform="SALLA", webhookSecret=SECRETS["salla"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listed = await api.gql(CONNECTIONS, token=token)
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await api.deps.store_connections.list("acme") == []
