"""Schema fuzzing with schemathesis's GraphQL support against the ASGI app itself.

Schemathesis loads the schema by introspection from the app and generates valid documents
(hypothesis-graphql) with arbitrary arguments for every root field; each one is sent with an
admin key, an events key and a member token of a seeded tenant. No answer may be a 5xx or carry
INTERNAL_SERVER_ERROR: every input a client can send is either served or refused with a code.

Bounded and deterministic (derandomized, no example database) so the suite stays fast and
stable; subscriptions are left out (a stream over HTTP is not a GraphQL-over-HTTP request).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.generation.case import Case
from schemathesis.graphql import nodes
from starlette.applications import Starlette
from starlette.testclient import TestClient

from api.app import build_runtime, create_app
from api.auth.member_tokens import issue_member_token
from api.settings import Settings
from loyalty.clock import FrozenClock
from loyalty.tenants import MemberKey
from tests.api.conftest import CREATE_TENANT, PLATFORM_KEY, RECORD_ORDER

EXAMPLES_PER_OPERATION = 10

# The schema's own scalars: well-formed values (so calls get past coercion into the resolvers)
# mixed with arbitrary text (so coercion refusals are exercised too).
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str), st.text()).map(
        nodes.String
    ),
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(
        st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat()), st.text()
    ).map(nodes.String),
)
# Over JSON an Upload can only be something that is not a file: it must be refused, not crash.
schemathesis.graphql.scalar("Upload", st.text().map(nodes.String))


def seeded_app() -> tuple[Starlette, dict[str, dict[str, str]]]:
    """An app with tenant "acme" whose member "c1" has an order; returns the principals."""
    clock = FrozenClock()
    # Thousands of calls from three principals: limiting is tested in tests/api/test_limits.py.
    runtime = build_runtime(
        Settings(platform_key=PLATFORM_KEY, db_name="fuzz", rate_limit_scale=0), clock=clock
    )
    app = create_app(runtime)
    with TestClient(app) as client:
        fields = {"slug": "acme", "name": "Acme", "currency": "SAR", "defaultLocale": "ar"}
        created = client.post(
            "/graphql",
            json={"query": CREATE_TENANT, "variables": {"input": fields}},
            headers={"Authorization": f"Bearer {PLATFORM_KEY}"},
        ).json()["data"]["createTenant"]
        key = MemberKey(
            created["memberTokenKid"], "HS256", created["memberTokenSecret"], None, clock.now()
        )
        member = issue_member_token(
            tenant_slug="acme", key=key, subject="c1", now=clock.now(), ttl=timedelta(days=30)
        )
        client.post(
            "/graphql",
            json={"query": "{ me { externalId } }"},
            headers={"Authorization": f"Bearer {member}"},
        )
        order = {"memberExternalId": "c1", "orderId": "o1", "total": "120", "currency": "SAR"}
        client.post(
            "/graphql",
            json={"query": RECORD_ORDER, "variables": {"input": order}},
            headers={"Authorization": f"Bearer {created['eventsApiKey']}"},
        )
    principals = {
        name: {"Authorization": f"Bearer {token}"}
        for name, token in (
            ("admin", created["adminApiKey"]),
            ("events", created["eventsApiKey"]),
            ("member", member),
        )
    }
    return app, principals


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[tuple[Any, dict[str, dict[str, str]]]]:
    app, principals = seeded_app()
    yield schemathesis.graphql.from_asgi("/graphql", app), principals


def operation_names() -> list[str]:
    from graphql_schema.schema import schema

    roots = schema._schema
    return [
        f"{kind}.{name}"
        for kind, root in (("Query", roots.query_type), ("Mutation", roots.mutation_type))
        for name in (root.fields if root else {})
    ]


def check(case: Case[Any], principals: dict[str, dict[str, str]]) -> None:
    for principal, headers in principals.items():
        response = case.call(headers={**headers, "Accept": "application/json"})
        where = f"{principal}: {case.body!r}"
        assert response.status_code < 500, where
        assert "INTERNAL_SERVER_ERROR" not in response.text, f"{where} -> {response.text}"


@pytest.mark.parametrize("label", operation_names())
def test_no_generated_call_is_answered_with_an_internal_error(
    fuzzed: tuple[Any, dict[str, dict[str, str]]], label: str
) -> None:
    schema, principals = fuzzed
    operation = schema[label.split(".")[0]][label.split(".")[1]]

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its body
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Case[Any]) -> None:
        check(case, principals)

    run()


def test_the_fuzzer_reaches_every_query_and_mutation(
    fuzzed: tuple[Any, dict[str, dict[str, str]]],
) -> None:
    # A field schemathesis could not load would silently go untested.
    schema, _ = fuzzed
    loaded = {
        f"{result.ok().label}" for result in schema.get_all_operations() if result.ok() is not None
    }
    assert {label for label in operation_names()} <= loaded
