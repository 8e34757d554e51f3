"""Abuse-limit refusals carry a code and are worded in the caller's language (Accept-Language),
even though the parser and validation caches hold one English result per document."""

from __future__ import annotations

from typing import Any

import pytest

from api.rate_limit import RATES
from graphql_schema.cost import MAX_COST
from graphql_schema.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from loyalty.i18n import translate
from tests.api.conftest import Api, TenantCreds
from tests.api.test_limits import EXPENSIVE

# No type in the schema nests deeper than the limit, so the deep document is also invalid
# otherwise; the depth refusal is one of its errors.
DEEP = "{ me { " + "a { " * (MAX_DEPTH + 1) + "b" + " }" * (MAX_DEPTH + 1) + " } }"
ALIASED = "{ " + " ".join(f"f{i}: __typename" for i in range(MAX_ALIASES + 1)) + " }"
LONG = "{ program { " + "name " * MAX_TOKENS + "} }"


async def post(api: Api, query: str, locale: str, token: str) -> tuple[int, dict[str, Any]]:
    response = await api.client.post(
        "/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": locale},
    )
    body: dict[str, Any] = response.json()
    return response.status_code, body


def coded(body: dict[str, Any], code: str) -> dict[str, Any]:
    assert "data" not in body  # refused before execution
    [error] = [e for e in body["errors"] if e.get("extensions", {}).get("code") == code]
    return error


@pytest.mark.parametrize("locale", ["ar", "en"])
async def test_depth_refusal_is_coded_and_localized(
    api: Api, acme: TenantCreds, locale: str
) -> None:
    _, body = await post(api, DEEP, locale, acme.member_token(api, "c1"))
    error = coded(body, "QUERY_TOO_DEEP")
    assert error["message"] == translate("error.QUERY_TOO_DEEP", locale, max=MAX_DEPTH)
    assert error["extensions"] == {"code": "QUERY_TOO_DEEP", "limit": MAX_DEPTH}


@pytest.mark.parametrize("locale", ["ar", "en"])
async def test_alias_refusal_is_coded_and_localized(
    api: Api, acme: TenantCreds, locale: str
) -> None:
    _, body = await post(api, ALIASED, locale, acme.member_token(api, "c1"))
    error = coded(body, "TOO_MANY_ALIASES")
    expected = translate("error.TOO_MANY_ALIASES", locale, count=MAX_ALIASES + 1, max=MAX_ALIASES)
    assert error["message"] == expected
    assert error["extensions"] == {"code": "TOO_MANY_ALIASES", "limit": MAX_ALIASES}


@pytest.mark.parametrize("locale", ["ar", "en"])
async def test_token_refusal_is_coded_and_localized(
    api: Api, acme: TenantCreds, locale: str
) -> None:
    _, body = await post(api, LONG, locale, acme.member_token(api, "c1"))
    error = coded(body, "TOO_MANY_TOKENS")
    assert error["message"] == translate("error.TOO_MANY_TOKENS", locale, max=MAX_TOKENS)


async def test_the_same_cached_document_is_refused_in_each_callers_language(
    api: Api, acme: TenantCreds
) -> None:
    # given the cost refusal was cached in validation for an Arabic caller
    token = acme.member_token(api, "c1")
    _, arabic = await post(api, EXPENSIVE, "ar", token)
    # when an English caller sends the very same document
    _, english = await post(api, EXPENSIVE, "en", token)
    # then each got their own language, with the price in extensions
    cost = {"requested": 1213, "limit": MAX_COST}
    for body, locale in ((arabic, "ar"), (english, "en")):
        error = coded(body, "QUERY_TOO_COMPLEX")
        assert error["message"] == translate("error.QUERY_TOO_COMPLEX", locale, **cost)
        assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": cost}
    assert arabic["errors"][0]["message"] != english["errors"][0]["message"]


async def test_rate_limit_refusal_is_in_arabic_for_an_arabic_caller(
    api: Api, acme: TenantCreds
) -> None:
    token = acme.member_token(api, "c1")
    for _ in range(int(RATES["member"].burst)):
        await post(api, "{ me { externalId } }", "ar", token)
    status, body = await post(api, "{ me { externalId } }", "ar", token)
    assert status == 429
    error = coded(body, "RATE_LIMITED")
    assert error["message"] == translate("error.RATE_LIMITED", "ar")
