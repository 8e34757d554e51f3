"""Abuse limits: body sizes, per-principal rates, query cost, and the caches that make the
limits cheap (a repeated query is neither re-parsed nor re-validated)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from graphql import DocumentNode

from api.http_transport import MAX_JSON_BODY, MAX_MULTIPART_BODY
from api.rate_limit import RATES
from graphql_schema import document_cache
from graphql_schema.cost import MAX_COST
from tests.api.conftest import ADJUST, Api, TenantCreds, enroll, give_points

BALANCE = 'query { member(externalId: "c1") { wallet { balance } } }'


async def balance(api: Api, creds: TenantCreds) -> int:
    body = await api.gql(BALANCE, token=creds.admin)
    value: int = body["data"]["member"]["wallet"]["balance"]
    return value


async def test_a_body_over_the_limit_is_413_and_nothing_runs(api: Api, acme: TenantCreds) -> None:
    # given an adjustment padded past the body limit
    await enroll(api, acme, "c1")
    variables = {
        "input": {"memberExternalId": "c1", "points": 5, "reason": "x", "idempotencyKey": "k"},
        "padding": "x" * MAX_JSON_BODY,
    }
    # when
    response = await api.client.post(
        "/graphql",
        json={"query": ADJUST, "variables": variables},
        headers={"Authorization": f"Bearer {acme.admin}", "Accept-Language": "ar"},
    )
    # then
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert "حجم" in error["message"]
    assert await balance(api, acme) == 0


async def test_an_upload_over_the_multipart_limit_is_413(api: Api, acme: TenantCreds) -> None:
    # given
    operations = {
        "query": "mutation($f: Upload!) { uploadAppIcon(file: $f) { userErrors { code } } }",
        "variables": {"f": None},
    }
    # when
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("icon.png", b"\0" * (MAX_MULTIPART_BODY + 1), "image/png")},
        headers={"Authorization": f"Bearer {acme.admin}"},
    )
    # then
    assert response.status_code == 413


async def test_a_member_over_the_rate_is_429_with_retry_after_until_time_passes(
    api: Api, acme: TenantCreds
) -> None:
    # given a member who used the whole burst
    token = acme.member_token(api, "c1")
    other = acme.member_token(api, "c2")
    burst = int(RATES["member"].burst)
    for _ in range(burst):
        assert "errors" not in await api.gql("{ me { externalId } }", token=token)
    # when
    response = await api.client.post(
        "/graphql",
        json={"query": "{ me { externalId } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    # then
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 1}
    assert "data" not in response.json()
    # and another member is not affected
    assert "errors" not in await api.gql("{ me { externalId } }", token=other)
    # and the bucket refills with time
    api.clock.advance(timedelta(seconds=1))
    assert "errors" not in await api.gql("{ me { externalId } }", token=token)


async def test_a_rate_limited_mutation_changes_nothing(api: Api, acme: TenantCreds) -> None:
    # given the admin key spent its burst (balance reads are cheap requests too)
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 10, "g1")
    for _ in range(int(RATES["merchant"].burst) - 2):  # enroll and give_points took 2
        await balance(api, acme)
    # when
    variables = {
        "input": {"memberExternalId": "c1", "points": 5, "reason": "x", "idempotencyKey": "k2"}
    }
    response = await api.client.post(
        "/graphql",
        json={"query": ADJUST, "variables": variables},
        headers={"Authorization": f"Bearer {acme.admin}"},
    )
    # then
    assert response.status_code == 429
    api.clock.advance(timedelta(seconds=5))
    assert await balance(api, acme) == 10


EXPENSIVE = (
    "{ me { "
    + " ".join(
        f"t{i}: wallet {{ transactions(first: 100) {{ edges {{ node {{ id }} }} }} }}"
        for i in range(6)
    )
    + " } }"
)


async def test_cost_is_reported_in_extensions(api: Api, acme: TenantCreds) -> None:
    # given me(1) + wallet(1) + transactions(1 + 5 * (edges 1 + node 1))
    query = "{ me { wallet { transactions(first: 5) { edges { node { id } } } } } }"
    # when
    await api.gql(query, token=acme.member_token(api, "c1"))
    # then
    assert api.last_extensions == {"cost": {"requested": 13, "limit": MAX_COST}}


async def test_a_query_over_the_cost_limit_is_refused_before_running(
    api: Api, acme: TenantCreds
) -> None:
    # when
    body = await api.gql(EXPENSIVE, token=acme.member_token(api, "c1"))
    # then: 6 x (1 + 1 + 100 x 2) + 1 = 1213
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] == {"requested": 1213, "limit": MAX_COST}


async def test_a_page_size_variable_without_value_is_priced_at_the_largest_page(
    api: Api, acme: TenantCreds
) -> None:
    # given
    query = "query($n: Int) { me { wallet { transactions(first: $n) { edges { node { id } } } } } }"
    # when
    await api.gql(query, {"n": 1}, token=acme.member_token(api, "c1"))
    # then: the price does not depend on variables, so the validation cache stays useful
    assert api.last_extensions == {"cost": {"requested": 203, "limit": MAX_COST}}


async def test_a_repeated_query_is_parsed_and_validated_once(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a query text never seen before in this process, and counters on graphql-core
    validations: list[DocumentNode] = []
    real_validate = document_cache.validate

    def counting_validate(schema: Any, document: DocumentNode, *args: Any, **kw: Any) -> Any:
        validations.append(document)
        return real_validate(schema, document, *args, **kw)

    monkeypatch.setattr(document_cache, "validate", counting_validate)
    query = f"{{ program {{ a{uuid.uuid4().hex}: name }} }}"
    # when
    bodies = [await api.gql(query, tenant="acme") for _ in range(3)]
    # then
    assert [len(body["data"]["program"]) for body in bodies] == [1, 1, 1]
    assert len(validations) == 1
