"""The service around GraphQL: health, readiness, metrics, GraphiQL, masking, limits, schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import Runtime, create_app
from api.cli import schema_text
from api.events import WalletBroker
from api.settings import Settings, SettingsError
from loyalty.ports import Deps
from mongo.client import Database
from mongo.indexes import INDEXES, is_ttl
from tests.api.conftest import Api, TenantCreds


async def test_health_and_readiness_answer(api: Api) -> None:
    # when
    health = await api.client.get("/healthz")
    ready = await api.client.get("/readyz")
    # then
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_metrics_count_graphql_requests(api: Api, acme: TenantCreds) -> None:
    # given one more public query
    await api.gql("{ program { name } }", tenant="acme")
    # when
    metrics = (await api.client.get("/metrics")).text
    # then: createTenant (fixture) and the query above, both 200
    assert 'loyalty_http_requests_total{method="POST",path="/graphql",status="200"} 2' in metrics
    assert "# TYPE loyalty_http_request_duration_seconds histogram" in metrics


async def _app_client(
    database: Database, deps: Deps, broker: WalletBroker, settings: Settings
) -> httpx.AsyncClient:
    runtime = Runtime(settings=settings, database=database, deps=deps, broker=broker)
    transport = httpx.ASGITransport(app=create_app(runtime))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.mark.parametrize(("env", "shown"), [("development", True), ("production", False)])
async def test_graphiql_only_in_development(
    database: Database, deps: Deps, broker: WalletBroker, env: str, shown: bool
) -> None:
    # given
    settings = Settings(env=env, platform_key="x" * 32, mongodb_uri="mongodb://unused")
    async with await _app_client(database, deps, broker, settings) as client:
        # when
        page = await client.get("/graphql", headers={"Accept": "text/html"})
    # then
    assert ("graphiql" in page.text.lower()) is shown


async def test_introspection_is_off_in_production(
    database: Database, deps: Deps, broker: WalletBroker
) -> None:
    # given
    settings = Settings(env="production", platform_key="x" * 32, mongodb_uri="mongodb://unused")
    async with await _app_client(database, deps, broker, settings) as client:
        # when
        body = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    # then
    error = body.json()["errors"][0]
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert error["message"].startswith(
        "The query is not valid against the schema: GraphQL introspection has been disabled"
    )


async def test_unexpected_errors_are_masked_with_a_request_id(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a repository that fails with a secret in its message
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("connection string mongodb://admin:hunter2@db")

    monkeypatch.setattr(api.deps.rewards, "list", broken)
    # when
    response = await api.client.post(
        "/graphql",
        json={"query": "{ rewards { id } }"},
        headers={"X-Tenant": "acme", "X-Request-ID": "req-42"},
    )
    # then
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "hunter2" not in response.text
    assert response.headers["x-request-id"] == "req-42"


async def test_queries_with_too_many_aliases_are_refused(api: Api, acme: TenantCreds) -> None:
    # given 31 aliases (the limit is 30)
    query = "{ " + " ".join(f"f{i}: __typename" for i in range(31)) + " }"
    # when
    body = await api.gql(query, tenant="acme")
    # then: a request error, refused before execution, so no `data` entry (GraphQL spec)
    assert "data" not in body
    assert body["errors"][0]["message"] == "The query uses 31 aliases; at most 30 are allowed."


def test_schema_file_is_in_sync_with_the_code() -> None:
    # then: `loyalty export-schema` has been run after the last schema change
    assert Path("schema.graphql").read_text(encoding="utf-8") == schema_text()


async def test_every_declared_index_exists_with_its_name(database: Database) -> None:
    # given the startup step ran (fixture; without the TTL indexes on the frozen test clock:
    # tests/store/test_index_declarations.py checks those)
    for collection, models in INDEXES.items():
        # when
        names = set(await database.db[collection].index_information())
        # then
        assert {m.document["name"] for m in models if not is_ttl(m)} <= names


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"platform_key": None}, "production needs LOYALTY_PLATFORM_KEY (24+ characters)"),
        ({"platform_key": "short"}, "production needs LOYALTY_PLATFORM_KEY (24+ characters)"),
        (
            {"mongodb_uri": "memory://"},
            "production needs a real MongoDB in LOYALTY_MONGODB_URI",
        ),
    ],
)
def test_production_refuses_unsafe_settings(overrides: dict[str, Any], message: str) -> None:
    # given
    values: dict[str, Any] = {
        "env": "production",
        "platform_key": "k" * 32,
        "mongodb_uri": "mongodb://db:27017",
    }
    values.update(overrides)
    # when / then
    with pytest.raises(SettingsError) as refused:
        Settings(**values).check()
    assert str(refused.value) == message


async def test_bad_query_arguments_are_coded_top_level_errors(api: Api, acme: TenantCreds) -> None:
    # given
    token = acme.member_token(api, "c1")
    # when
    body = await api.gql(
        "{ me { wallet { transactions(first: 0) { edges { cursor } } } } }",
        token=token,
        locale="en",
    )
    cursor = await api.gql(
        '{ me { wallet { transactions(after: "bm9wZQ") { edges { cursor } } } } }', token=token
    )
    # then
    assert body["errors"][0]["extensions"] == {"code": "OUT_OF_RANGE", "field": ["first"]}
    assert body["errors"][0]["message"] == "The value must be between 1 and 100."
    assert cursor["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": ["after"]}
