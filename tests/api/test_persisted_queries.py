"""Apollo Automatic Persisted Queries: hash first, document on a miss, GET by hash after."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from api.persisted_queries import PersistedQueries
from tests.api.conftest import Api, TenantCreds

QUERY = "{ program { name } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()
HEADERS = {"X-Tenant": "acme"}


def persisted(sha256_hash: str = HASH, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256_hash}}


async def stored(api: Api) -> list[dict[str, Any]]:
    from mongo.persisted_queries import MongoPersistedQueries

    assert api.database is not None
    store = MongoPersistedQueries(api.database.db)
    return [doc async for doc in store.collection.find({})]


async def test_unknown_hash_asks_for_the_document(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.post("/graphql", json={"extensions": persisted()}, headers=HEADERS)
    # then: Apollo's flow, HTTP 200 for application/json
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }


async def test_hash_with_document_is_stored_then_the_hash_alone_runs(
    api: Api, acme: TenantCreds
) -> None:
    # given
    first = await api.client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted()}, headers=HEADERS
    )
    # when
    by_hash = await api.client.post("/graphql", json={"extensions": persisted()}, headers=HEADERS)
    # then
    assert first.json()["data"] == by_hash.json()["data"] == {"program": {"name": "Acme"}}
    assert [doc["_id"] for doc in await stored(api)] == [HASH]


async def test_get_with_only_the_hash_is_cacheable(api: Api, acme: TenantCreds) -> None:
    # given
    await api.client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted()}, headers=HEADERS
    )
    params = {"extensions": json.dumps(persisted())}
    # when
    response = await api.client.get("/graphql", params=params, headers=HEADERS)
    again = await api.client.get(
        "/graphql", params=params, headers={**HEADERS, "If-None-Match": response.headers["etag"]}
    )
    # then
    assert response.status_code == 200
    assert response.json()["data"] == {"program": {"name": "Acme"}}
    assert again.status_code == 304


async def test_a_hash_that_does_not_match_the_document_is_refused_and_not_stored(
    api: Api, acme: TenantCreds
) -> None:
    # when
    response = await api.client.post(
        "/graphql",
        json={"query": "{ program { currency } }", "extensions": persisted()},
        headers={**HEADERS, "Accept-Language": "ar"},
    )
    # then
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert "بصمة" in error["message"]
    assert await stored(api) == []


async def test_an_unknown_protocol_version_is_refused(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted(version=2)}, headers=HEADERS
    )
    # then
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


async def test_new_media_type_answers_a_miss_with_400(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.post(
        "/graphql",
        json={"extensions": persisted()},
        headers={**HEADERS, "Accept": "application/graphql-response+json"},
    )
    # then
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_another_instance_finds_the_document_in_the_shared_store(
    api: Api, acme: TenantCreds
) -> None:
    # given one instance stored the document
    await api.client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted()}, headers=HEADERS
    )
    from mongo.persisted_queries import MongoPersistedQueries

    assert api.database is not None
    other = PersistedQueries(MongoPersistedQueries(api.database.db), max_tokens=100)
    # when a fresh instance (empty LRU) resolves the hash alone
    query = await other.resolve(None, persisted())
    # then
    assert query == QUERY


async def test_documents_that_do_not_parse_are_not_stored(api: Api, acme: TenantCreds) -> None:
    # given
    junk = "{ program { name "
    # when
    await api.client.post(
        "/graphql",
        json={"query": junk, "extensions": persisted(hashlib.sha256(junk.encode()).hexdigest())},
        headers=HEADERS,
    )
    # then
    assert await stored(api) == []
