"""Bodies and requests that once answered HTTP 500 (or plain text): each is a 4xx with one
coded, localized GraphQL error, and none of them changes any data."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import httpx
import pytest

from api.app import Runtime, create_app
from api.events import WalletBroker
from api.settings import Settings
from loyalty.ports import Deps
from mongo.client import Database
from tests.api.conftest import WALLET, Api, TenantCreds, admin_wallet, enroll, give_points

JSON_HEADERS = {"Content-Type": "application/json", "X-Tenant": "acme"}
UPLOAD = "mutation($f: Upload!) { uploadAppIcon(file: $f) { userErrors { code } } }"
OPERATIONS = json.dumps({"query": UPLOAD, "variables": {"f": None}})


def only_error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    assert "data" not in body, body
    [error] = body["errors"]
    return response.status_code, error["extensions"]["code"], error["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            b'{"query": "{ program { name } }", "variables": {"a": '
            + b"[" * 5000
            + b"]" * 5000
            + b"}}",
            "MALFORMED_JSON",
        ),
        (b'{"query": "{ program { name } }\xff"}', "MALFORMED_JSON"),
        (
            b'{"query": "query($n: Int) { program { name } }", "variables": {"n": '
            + b"9" * 5000
            + b"}}",
            "MALFORMED_JSON",
        ),
        (b'"{ program { name } }"', "INVALID_REQUEST_BODY"),
        (b"[1, 2]", "INVALID_REQUEST_BODY"),
        (b"7", "INVALID_REQUEST_BODY"),
        (b"[]", "EMPTY_BATCH"),
        (b'{"query": ', "MALFORMED_JSON"),
        (b"", "EMPTY_BODY"),
        (b'{"variables": {}}', "MISSING_QUERY"),
    ],
    ids=[
        "5000-nested-arrays",
        "invalid-utf8",
        "5000-digit-variable",
        "json-string",
        "array-of-numbers",
        "number",
        "empty-batch",
        "malformed",
        "empty",
        "no-query",
    ],
)
async def test_a_body_that_cannot_be_an_operation_is_a_coded_400(
    api: Api, acme: TenantCreds, body: bytes, code: str
) -> None:
    # when
    response = await api.client.post("/graphql", content=body, headers=JSON_HEADERS)
    # then
    assert response.headers["content-type"] == "application/json"
    assert only_error(response)[:2] == (400, code)


async def test_refusals_are_in_the_callers_language(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.post(
        "/graphql", content=b"", headers={**JSON_HEADERS, "Accept-Language": "ar"}
    )
    # then
    assert only_error(response) == (
        400,
        "EMPTY_BODY",
        "الطلب فارغ: أرسل كائن \u2068JSON\u2069 يحوي الحقل «query».",
    )


@pytest.mark.parametrize(("method", "allow"), [("PUT", "GET, POST"), ("DELETE", "GET, POST")])
async def test_other_methods_are_a_coded_405(
    api: Api, acme: TenantCreds, method: str, allow: str
) -> None:
    # when
    response = await api.client.request(
        method, "/graphql", json={"query": "{ program { name } }"}, headers={"X-Tenant": "acme"}
    )
    # then
    assert only_error(response) == (
        405,
        "METHOD_NOT_ALLOWED",
        "Method not allowed: send queries with GET or POST, and mutations with POST.",
    )
    assert response.headers["allow"] == allow


async def test_a_mutation_over_get_is_a_coded_405(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.get(
        "/graphql",
        params={"query": "mutation { publishAppTheme { userErrors { code } } }"},
        headers={"Authorization": f"Bearer {acme.admin}"},
    )
    # then
    assert only_error(response)[:2] == (405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "file_map",
    [
        '{"0": "variables.f"}',
        '["variables.f"]',
        '{"0": ["variables.a.b.c"]}',
        '{"7": ["variables.f"]}',
        '{"0": ["variables.f.0"]}',
        "not json",
    ],
    ids=[
        "paths-not-a-list",
        "map-is-a-list",
        "path-to-nowhere",
        "unsent-file",
        "path-into-null",
        "not-json",
    ],
)
async def test_a_malformed_multipart_map_is_a_coded_400(
    api: Api, acme: TenantCreds, file_map: str
) -> None:
    # when
    response = await api.client.post(
        "/graphql",
        files={
            "operations": (None, OPERATIONS),
            "map": (None, file_map),
            "0": ("icon.png", b"\x89PNG", "image/png"),
        },
        headers={"Authorization": f"Bearer {acme.admin}"},
    )
    # then
    status, code, _ = only_error(response)
    assert (status, code) in {(400, "MALFORMED_MULTIPART"), (400, "MALFORMED_JSON")}
    assert code == ("MALFORMED_JSON" if file_map == "not json" else "MALFORMED_MULTIPART")


async def test_a_5000_digit_page_size_is_out_of_range_not_a_crash(
    api: Api, acme: TenantCreds
) -> None:
    # given
    token = acme.member_token(api, "m-1")
    query = "{ me { wallet { transactions(first: " + "9" * 5000 + ") { edges { cursor } } } } }"
    # when
    response = await api.client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )
    # then
    errors = response.json()["errors"]
    assert response.status_code == 200
    assert [e["extensions"]["code"] for e in errors] == [
        "OUT_OF_RANGE",
        "GRAPHQL_VALIDATION_FAILED",
    ]
    assert len(errors[1]["message"]) < 400


async def test_first_1000_is_out_of_range_before_it_is_too_costly(
    api: Api, acme: TenantCreds
) -> None:
    # given
    token = acme.member_token(api, "m-1")
    # when
    body = await api.gql(
        "{ me { wallet { transactions(first: 1000) { edges { cursor } } } } }",
        token=token,
        locale="ar",
    )
    # then
    assert body == {
        "errors": [
            {
                "message": "يجب أن تكون القيمة بين 1 و100.",
                "locations": [{"line": 1, "column": 37}],
                "extensions": {"code": "OUT_OF_RANGE", "field": ["first"]},
            }
        ]
    }


def _signed(payload: str, creds: TenantCreds) -> str:
    def part(raw: bytes) -> bytes:
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    header = part(json.dumps({"alg": "HS256", "typ": "JWT", "kid": creds.kid}).encode())
    body = part(payload.encode())
    signature = hmac.new(creds.secret.encode(), header + b"." + body, hashlib.sha256).digest()
    return (header + b"." + body + b"." + part(signature)).decode()


@pytest.mark.parametrize(
    "claims",
    [
        '{"iss": "acme", "sub": "ab\\u202ecd", "aud": "loyalty", "exp": 4102444800, "iat": 1}',
        '{"iss": "acme", "sub": "m-1", "aud": "loyalty", "exp": 1' + "0" * 400 + ', "iat": 1}',
    ],
    ids=["right-to-left-override-in-sub", "exp-of-10^400"],
)
async def test_a_hostile_token_is_unauthenticated_and_enrols_no_one(
    api: Api, acme: TenantCreds, claims: str
) -> None:
    # when
    body = await api.gql(WALLET, token=_signed(claims, acme))
    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    count = await api.gql(
        "{ members(first: 5) { edges { node { externalId } } } }", token=acme.admin
    )
    assert count["data"]["members"]["edges"] == []


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("0001-01-01T00:00:00Z", "0001-02-01T00:00:00Z", "from"),
        ("9999-12-01T00:00:00Z", "9999-12-31T23:59:59Z", "from"),
        ("2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "to"),
    ],
)
async def test_stats_far_from_now_are_out_of_range(
    api: Api, acme: TenantCreds, start: str, end: str, field: str
) -> None:
    # when
    body = await api.gql(
        "query($from: DateTime!, $to: DateTime!) { stats(from: $from, to: $to) { activeMembers } }",
        {"from": start, "to": end},
        token=acme.admin,
    )
    # then
    [error] = body["errors"]
    assert error["extensions"] == {"code": "OUT_OF_RANGE", "field": [field]}
    assert error["message"] == "The value must be between January 1, 1970 and January 1, 2200."


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            "{ program { name ",
            "GRAPHQL_PARSE_FAILED",
            "تعذّر تحليل الاستعلام: \u2068Expected Name, found <EOF>.\u2069",
        ),
        (
            "{ program { nam } }",
            "GRAPHQL_VALIDATION_FAILED",
            "الاستعلام غير صالح لهذا المخطط: "
            "\u2068Cannot query field 'nam' on type 'Program'. Did you mean 'name'?\u2069",
        ),
        (
            "query($v: Int!) { appTheme(version: $v) { version } }",
            "BAD_USER_INPUT",
            "قيمة أحد المتغيرات غير صالحة: "
            "\u2068Variable '$v' has invalid value: Int cannot represent non-integer value:"
            " 'abc'\u2069",
        ),
    ],
    ids=["parse", "validation", "variable-coercion"],
)
async def test_request_errors_carry_apollos_codes_and_a_localized_wrapper(
    api: Api, acme: TenantCreds, query: str, code: str, message: str
) -> None:
    # when
    body = await api.gql(query, {"v": "abc"}, tenant="acme", locale="ar")
    # then
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["message"]) == (code, message)


async def test_production_suggests_no_field_names(
    database: Database, deps: Deps, broker: WalletBroker
) -> None:
    # given
    settings = Settings(env="production", platform_key="x" * 32, mongodb_uri="mongodb://unused")
    runtime = Runtime(settings=settings, database=database, deps=deps, broker=broker)
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        # when
        response = await client.post("/graphql", json={"query": "{ program { nam } }"})
    # then
    [error] = response.json()["errors"]
    assert error["message"] == (
        "The query is not valid against the schema: Cannot query field 'nam' on type 'Program'."
    )


@pytest.mark.parametrize(
    ("sent", "kept"),
    [(b"req-42.a:b_C", True), (b"abc\xe9<script>", False), (b"x" * 65, False), (b"a b", False)],
)
async def test_a_request_id_is_echoed_only_when_it_is_a_short_plain_token(
    api: Api, acme: TenantCreds, sent: bytes, kept: bool
) -> None:
    # when
    response = await api.client.post(
        "/graphql",
        json={"query": "{ program { name } }"},
        headers={"X-Tenant": "acme", "X-Request-Id": sent},
    )
    # then
    echoed = response.headers["x-request-id"]
    assert (echoed == sent.decode("latin-1")) is kept
    assert len(echoed) <= 64 and echoed.isascii() and echoed.isprintable()


async def test_refused_bodies_change_nothing(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "m-1")
    await give_points(api, acme, "m-1", 50, "seed")
    before = await admin_wallet(api, acme, "m-1", "type points")
    mutation: dict[str, Any] = {
        "query": 'mutation { adjustPoints(input: {memberExternalId: "m-1", points: 5, '
        'reason: "x", idempotencyKey: "k"}) { userErrors { code } } }'
    }
    raw = json.dumps(mutation).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {acme.admin}"}
    # when
    for body in (raw[:-1], raw + b"\xff", b"[" + raw + b", 1]", raw.replace(b"query", b"qery")):
        response = await api.client.post("/graphql", content=body, headers=headers)
        assert response.status_code == 400
    # then
    assert await admin_wallet(api, acme, "m-1", "type points") == before
