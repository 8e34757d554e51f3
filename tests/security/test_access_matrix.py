"""Every operation x every principal: refused exactly, and nothing changes; allowed principals
of another tenant, or another member, cannot touch the victim (acme's member c1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import PLATFORM_KEY, RECORD_ORDER, Api, TenantCreds, enroll, give_points
from tests.security.operations import (
    ADMIN,
    ALLOWED,
    ANONYMOUS,
    EVENTS,
    MEMBER,
    PLATFORM,
    PRINCIPALS,
    PUBLIC,
    call,
    document,
    operations,
)

HTTP_OPERATIONS = [(k, n, f) for k, n, f in operations() if k != "subscription"]
VICTIM = """{ member(externalId: "c1") { externalId displayName locale
  wallet { balance pendingBalance lifetimeEarned
    transactions(first: 100) { edges { node { id type points } } } } } }"""


def headers(principal: str, creds: TenantCreds, api: Api, member: str = "c2") -> dict[str, str]:
    tokens = {
        MEMBER: lambda: creds.member_token(api, member),
        ADMIN: lambda: creds.admin,
        EVENTS: lambda: creds.events,
        PLATFORM: lambda: PLATFORM_KEY,
    }
    if principal == ANONYMOUS:
        return {}
    if principal == PUBLIC:
        return {"X-Tenant": creds.slug}
    return {"Authorization": f"Bearer {tokens[principal]()}"}


async def seed(api: Api, acme: TenantCreds) -> None:
    """The victim c1 has points and an order "c1"; c2 (the other member) exists."""
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 100, "seed")
    order = {"memberExternalId": "c1", "orderId": "c1", "total": "50", "currency": "SAR"}
    body = await api.gql(RECORD_ORDER, {"input": order}, token=acme.events)
    assert body["data"]["recordOrder"]["userErrors"] == []
    await api.gql("{ me { externalId } }", token=acme.member_token(api, "c2"))


async def snapshot(api: Api) -> dict[str, list[str]]:
    assert api.database is not None
    db = api.database.db
    names = sorted(set(await db.list_collection_names()) - {"persisted_queries"})
    return {name: sorted([repr(doc) async for doc in db[name].find({})]) for name in names}


async def victim(api: Api, acme: TenantCreds) -> Any:
    return (await api.gql(VICTIM, token=acme.admin))["data"]["member"]


def test_every_operation_has_an_access_entry() -> None:
    # given the operations the schema serves
    served = {f"{kind}.{name}" for kind, name, _ in operations()}
    # then each has an entry (a new operation must be added to ALLOWED) and none is stale
    assert served - set(ALLOWED) == set(), "add these operations to ALLOWED"
    assert set(ALLOWED) - served == set(), "remove these from ALLOWED"


REFUSALS = [
    pytest.param(kind, name, field, principal, id=f"{name}-{principal}")
    for kind, name, field in HTTP_OPERATIONS
    for principal in PRINCIPALS
    if principal not in ALLOWED.get(f"{kind}.{name}", frozenset())
]


@pytest.mark.parametrize(("kind", "name", "field", "principal"), REFUSALS)
async def test_a_principal_not_allowed_is_refused_and_nothing_changes(
    api: Api, acme: TenantCreds, kind: str, name: str, field: Any, principal: str
) -> None:
    # given
    await seed(api, acme)
    query, variables = document(kind, name, field)
    before = await snapshot(api)
    # when
    body = await call(api.client, name, query, variables, headers(principal, acme, api))
    # then
    anonymous = principal in (ANONYMOUS, PUBLIC)
    expected = "UNAUTHENTICATED" if anonymous else "FORBIDDEN"
    assert body.get("data") is None or body["data"].get(name) is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == [expected], body
    assert await snapshot(api) == before


ISOLATION = [
    pytest.param(kind, name, field, principal, id=f"{name}-{principal}")
    for kind, name, field in HTTP_OPERATIONS
    for principal in sorted(ALLOWED.get(f"{kind}.{name}", frozenset()) - {PLATFORM, PUBLIC})
]


@pytest.mark.parametrize(("kind", "name", "field", "principal"), ISOLATION)
async def test_another_tenant_or_member_cannot_touch_the_victim(
    api: Api,
    acme: TenantCreds,
    globex: TenantCreds,
    kind: str,
    name: str,
    field: Any,
    principal: str,
) -> None:
    # given the victim, and the same caller kind in another tenant (member c1 there too)
    await seed(api, acme)
    query, variables = document(kind, name, field)
    before = await victim(api, acme)
    acme_docs = _of_tenant(await snapshot(api), "acme")
    # when globex's credential calls it with arguments naming acme's c1 ...
    foreign = await call(api.client, name, query, variables, headers(principal, globex, api, "c1"))
    # ... and (members) acme's other member calls it
    if principal == MEMBER:
        await call(api.client, name, query, variables, headers(MEMBER, acme, api, "c2"))
    # then nothing of the victim's changed, and acme's data is as it was for foreign callers
    assert "errors" not in foreign or all(
        e["extensions"]["code"] not in ("INTERNAL_SERVER_ERROR",) for e in foreign["errors"]
    )
    assert await victim(api, acme) == before
    if principal != MEMBER:
        assert _of_tenant(await snapshot(api), "acme") == acme_docs


def _of_tenant(snap: dict[str, list[str]], slug: str) -> dict[str, list[str]]:
    marks = (f"'tenant': '{slug}'", f"'_id': '{slug}'", f"'_id': '{slug}:")
    return {name: [d for d in docs if any(m in d for m in marks)] for name, docs in snap.items()}


@pytest.fixture(autouse=True)
def _fresh_buckets(api: Api) -> None:
    # Many calls per test from the same principals: keep the rate limiter out of the way by
    # letting time pass (the tokens live an hour).
    api.clock.advance(timedelta(seconds=1))
