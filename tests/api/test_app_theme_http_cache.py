"""Conditional GET on /graphql: apps skip downloading an unchanged theme (ETag / 304)."""

from __future__ import annotations

import httpx

from tests.api.conftest import Api, TenantCreds
from tests.api.test_app_theme import PUBLISH, save

QUERY = "{ appTheme { version etag colors { primary } } }"


async def get(api: Api, etag: str | None = None, locale: str = "en") -> httpx.Response:
    headers = {"X-Tenant": "acme", "Accept-Language": locale}
    if etag is not None:
        headers["If-None-Match"] = etag
    return await api.client.get("/graphql", params={"query": QUERY}, headers=headers)


async def test_unchanged_theme_answers_304_without_a_body(api: Api, acme: TenantCreds) -> None:
    # given
    await save(api, acme)
    await api.gql(PUBLISH, token=acme.admin)
    first = await get(api)
    assert first.status_code == 200
    assert first.json()["data"]["appTheme"]["version"] == 1
    assert first.headers["cache-control"] == "public, no-cache"
    assert "Accept-Language" in first.headers["vary"]
    # when
    again = await get(api, first.headers["etag"])
    # then
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


async def test_a_new_version_changes_the_etag(api: Api, acme: TenantCreds) -> None:
    await save(api, acme)
    await api.gql(PUBLISH, token=acme.admin)
    first = await get(api)
    await save(api, acme, colors={"primary": "#0B3D2E"})
    await api.gql(PUBLISH, token=acme.admin)
    # when
    after = await get(api, first.headers["etag"])
    # then
    assert after.status_code == 200
    assert after.json()["data"]["appTheme"]["colors"]["primary"] == "#0B3D2E"
    assert after.headers["etag"] != first.headers["etag"]


async def test_etag_lists_and_weak_tags_match(api: Api, acme: TenantCreds) -> None:
    first = await get(api)
    tag = first.headers["etag"]
    assert (await get(api, f'"other", W/{tag}')).status_code == 304
    assert (await get(api, '"other"')).status_code == 200


async def test_post_and_errors_are_never_304(api: Api, acme: TenantCreds) -> None:
    first = await get(api)
    post = await api.client.post(
        "/graphql",
        json={"query": QUERY},
        headers={"X-Tenant": "acme", "If-None-Match": first.headers["etag"]},
    )
    assert post.status_code == 200
    assert "etag" not in post.headers
    mutation = await api.client.get(
        "/graphql", params={"query": "mutation { publishAppTheme { theme { version } } }"}
    )
    assert mutation.status_code != 304


async def test_credentialed_answers_are_private(api: Api, acme: TenantCreds) -> None:
    response = await api.client.get(
        "/graphql",
        params={"query": QUERY},
        headers={"Authorization": f"Bearer {acme.admin}"},
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-cache"
