"""GraphQL-over-HTTP: media types, status codes and methods, one test per rule."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, TenantCreds

NEW = "application/graphql-response+json"
PARSE_ERROR = "{ program { name "
VALIDATION_ERROR = "{ program { nope } }"
COERCION_ERROR = ("query($v: Int!) { appTheme(version: $v) { version } }", {"v": "abc"})


async def post(
    api: Api, query: str, variables: object = None, accept: str | None = None
) -> tuple[int, str, dict[str, object]]:
    headers = {"X-Tenant": "acme"}
    if accept is not None:
        headers["Accept"] = accept
    response = await api.client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.status_code, response.headers["content-type"], response.json()


@pytest.mark.parametrize(
    ("query", "variables"),
    [(PARSE_ERROR, None), (VALIDATION_ERROR, None), COERCION_ERROR],
    ids=["parse", "validation", "variable-coercion"],
)
async def test_request_errors_are_4xx_without_data_under_the_new_media_type(
    api: Api, acme: TenantCreds, query: str, variables: object
) -> None:
    # when
    status, content_type, body = await post(api, query, variables, accept=NEW)
    # then
    assert (status, content_type) == (400, NEW)
    assert "data" not in body
    assert body["errors"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [(PARSE_ERROR, None), (VALIDATION_ERROR, None), COERCION_ERROR],
    ids=["parse", "validation", "variable-coercion"],
)
async def test_request_errors_stay_200_for_application_json(
    api: Api, acme: TenantCreds, query: str, variables: object
) -> None:
    # when
    status, content_type, body = await post(api, query, variables, accept="application/json")
    # then
    assert (status, content_type) == (200, "application/json")
    assert "data" not in body
    assert body["errors"]


async def test_a_successful_query_is_answered_in_the_requested_media_type(
    api: Api, acme: TenantCreds
) -> None:
    # when
    status, content_type, body = await post(api, "{ program { name } }", accept=NEW)
    # then
    assert (status, content_type) == (200, NEW)
    assert body["data"] == {"program": {"name": "Acme"}}


async def test_field_errors_keep_200_and_data_under_the_new_media_type(
    api: Api, acme: TenantCreds
) -> None:
    # given `me` needs a member token: an execution (field) error, not a request error
    # when
    status, _, body = await post(api, "{ me { externalId } }", accept=NEW)
    # then
    assert status == 200
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        (f"application/json, {NEW}", NEW),
        (f"application/json;q=0.9, {NEW};q=0.5", "application/json"),
    ],
)
async def test_accept_header_picks_the_answer_type(
    api: Api, acme: TenantCreds, accept: str | None, expected: str
) -> None:
    # when
    _, content_type, _ = await post(api, "{ program { name } }", accept=accept)
    # then
    assert content_type == expected


async def test_an_unanswerable_accept_is_406_and_nothing_runs(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.post(
        "/graphql",
        json={"query": "mutation { publishAppTheme { userErrors { code } } }"},
        headers={"Accept": "application/xml", "Authorization": f"Bearer {acme.admin}"},
    )
    # then
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


async def test_a_mutation_over_get_is_405_with_allow_post(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.get(
        "/graphql",
        params={"query": "mutation { publishAppTheme { userErrors { code } } }"},
        headers={"Authorization": f"Bearer {acme.admin}"},
    )
    # then
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_a_query_over_get_works(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.get(
        "/graphql", params={"query": "{ program { name } }"}, headers={"X-Tenant": "acme"}
    )
    # then
    assert response.status_code == 200
    assert response.json()["data"] == {"program": {"name": "Acme"}}


async def test_an_unsupported_request_content_type_is_415(api: Api, acme: TenantCreds) -> None:
    # when
    response = await api.client.post(
        "/graphql",
        content=b"query=%7B__typename%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Tenant": "acme"},
    )
    # then
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_malformed_json_is_400(api: Api) -> None:
    # when
    response = await api.client.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    # then
    assert response.status_code == 400


async def test_batches_run_each_operation_up_to_the_cap(api: Api, acme: TenantCreds) -> None:
    # when
    ok = await api.client.post(
        "/graphql",
        json=[{"query": "{ program { name } }"}] * 10,
        headers={"X-Tenant": "acme"},
    )
    too_many = await api.client.post(
        "/graphql",
        json=[{"query": "{ program { name } }"}] * 11,
        headers={"X-Tenant": "acme", "Accept-Language": "ar"},
    )
    # then
    assert ok.status_code == 200
    assert [item["data"] for item in ok.json()] == [{"program": {"name": "Acme"}}] * 10
    assert too_many.status_code == 400
    error = too_many.json()["errors"][0]
    assert error["extensions"]["code"] == "BATCH_TOO_LARGE"
    assert "10" in error["message"] and "الدفعة" in error["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": 5}, "BAD_REQUEST"),
        ({"query": "{ __typename }", "variables": []}, "BAD_REQUEST"),
        ({"query": "{ __typename }", "extensions": "x"}, "BAD_REQUEST"),
        ({"variables": {}}, "MISSING_QUERY"),
    ],
    ids=["query", "variables", "extensions", "no-query"],
)
async def test_a_malformed_operation_object_is_a_400_with_its_code(
    api: Api, acme: TenantCreds, body: dict[str, object], code: str
) -> None:
    # when an operation object with a field of the wrong type is POSTed as JSON
    response = await api.client.post("/graphql", json=body, headers={"X-Tenant": "acme"})
    # then
    assert response.status_code == 400
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == [code]
