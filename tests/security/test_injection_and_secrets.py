"""MongoDB operators smuggled through inputs have no effect; secrets never reach logs or
error messages."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import PLATFORM_KEY, Api, TenantCreds, enroll, give_points
from tests.security.operations import call, document, operations

OPERATOR = {"$gt": ""}


def string_paths(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in string_paths(item, (*path, key))]
    if isinstance(value, list):
        return [
            p for index, item in enumerate(value) for p in string_paths(item, (*path, str(index)))
        ]
    return [path] if isinstance(value, str) else []


def replaced(value: Any, path: tuple[str, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    if isinstance(value, list):
        copy = list(value)
        copy[int(head)] = replaced(value[int(head)], tuple(rest), new)
        return copy
    return {**value, head: replaced(value[head], tuple(rest), new)}


INJECTIONS = [
    pytest.param(kind, name, field, path, id=f"{name}-{'.'.join(path)}")
    for kind, name, field in operations()
    if kind != "subscription"
    for path in string_paths(document(kind, name, field)[1])
]


@pytest.mark.parametrize(("kind", "name", "field", "path"), INJECTIONS)
async def test_an_operator_object_in_a_string_input_is_rejected_by_coercion(
    api: Api, acme: TenantCreds, kind: str, name: str, field: Any, path: tuple[str, ...]
) -> None:
    # given every String/ID/Decimal/DateTime input of every operation, one at a time
    query, variables = document(kind, name, field)
    attack = replaced(variables, path, OPERATOR)
    # when (as the admin key: permission would otherwise refuse first for some)
    body = await call(api.client, name, query, attack, {"Authorization": f"Bearer {acme.admin}"})
    # then the variable never reaches a resolver: a coercion (request) error, no data at all
    assert "data" not in body, body
    assert "cannot represent" in body["errors"][0]["message"] or "Expected" in str(body)


async def test_operator_strings_are_plain_text_to_the_store(api: Api, acme: TenantCreds) -> None:
    # given a member, and an external id that looks like an operator
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 10, "k1")
    # when the admin asks for a member whose id is an operator-looking string
    body = await api.gql(
        'query { member(externalId: "{\\"$gt\\": \\"\\"}") { externalId } }', token=acme.admin
    )
    # then it is an id like any other: nobody has it
    assert body == {"data": {"member": None}}


async def test_secrets_never_appear_in_logs_or_errors(
    api: Api, acme: TenantCreds, caplog: pytest.LogCaptureFixture
) -> None:
    # given a forged admin-looking key, an expired member token and a bad platform key
    caplog.set_level(logging.DEBUG)
    expired = acme.token_for(api, "c1", ttl=timedelta(minutes=1))
    api.clock.advance(timedelta(minutes=5))
    secrets = [acme.admin, acme.events, acme.secret, PLATFORM_KEY, expired, "lk_forged" + "x" * 40]
    bodies = []
    # when each is used where it is not accepted (me needs a member token)
    for token in [*secrets, PLATFORM_KEY + "!"]:
        query, variables = document(*_op("me"))
        bodies.append(
            await call(api.client, "me", query, variables, {"Authorization": f"Bearer {token}"})
        )
    # then no secret is in any answer or any log line
    text = repr(bodies) + caplog.text + "".join(repr(r.args) for r in caplog.records)
    for secret in secrets:
        assert secret not in text
    assert all(
        b["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED") for b in bodies
    )


def _op(name: str) -> tuple[str, str, Any]:
    return next(op for op in operations() if op[1] == name)
