"""updateProfile: members edit their own contact details and language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds, enroll

UPDATE_PROFILE = """
mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    member { externalId displayName email phone locale }
    userErrors { code field message }
  }
}
"""

ME = "{ me { externalId displayName email phone locale } }"

FULL = {
    "displayName": "Sara",
    "email": "sara@example.com",
    "phone": "+966500000000",
    "locale": "ar",
}


async def update(api: Api, creds: TenantCreds, changes: dict[str, Any]) -> dict[str, Any]:
    token = creds.member_token(api, "c1")
    body = await api.gql(UPDATE_PROFILE, {"input": changes}, token=token)
    payload: dict[str, Any] = body["data"]["updateProfile"]
    return payload


async def me(api: Api, creds: TenantCreds) -> dict[str, Any]:
    body = await api.gql(ME, token=creds.member_token(api, "c1"))
    member: dict[str, Any] = body["data"]["me"]
    return member


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["member"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def test_profile_fields_are_saved(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await update(api, acme, FULL)
    # then
    expected = {"externalId": "c1", **FULL}
    assert payload == {"member": expected, "userErrors": []}
    assert await me(api, acme) == expected


async def test_absent_fields_are_untouched(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await update(api, acme, FULL)
    # when
    payload = await update(api, acme, {"email": "new@example.com"})
    # then
    expected = {"externalId": "c1", **FULL, "email": "new@example.com"}
    assert payload == {"member": expected, "userErrors": []}
    assert await me(api, acme) == expected


async def test_null_clears_the_display_name(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await update(api, acme, FULL)
    # when
    payload = await update(api, acme, {"displayName": None})
    # then
    expected = {"externalId": "c1", **FULL, "displayName": None}
    assert payload == {"member": expected, "userErrors": []}
    assert await me(api, acme) == expected


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"locale": "fr"}, "INVALID_LOCALE", ["input", "locale"]),
        ({"displayName": "x" * 61}, "TOO_LONG", ["input", "displayName"]),
        ({"email": "nope"}, "INVALID_INPUT", ["input", "email"]),
        ({"phone": "12ab"}, "INVALID_INPUT", ["input", "phone"]),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, changes: dict[str, Any], code: str, field: list[str]
) -> None:
    # given
    await enroll(api, acme, "c1")
    await update(api, acme, FULL)
    before = await me(api, acme)
    # when
    payload = await update(
        api, acme, {"displayName": "Changed", "phone": "+15550001111", **changes}
    )
    # then
    assert refused(payload) == (code, field)
    assert await me(api, acme) == before == {"externalId": "c1", **FULL}


async def test_display_name_of_sixty_characters_is_accepted(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await update(api, acme, {"displayName": "x" * 60})
    # then
    assert payload["userErrors"] == []
    assert (await me(api, acme))["displayName"] == "x" * 60


async def test_admin_key_is_forbidden(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    before = await me(api, acme)
    # when
    body = await api.gql(UPDATE_PROFILE, {"input": FULL}, token=acme.admin)
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await me(api, acme) == before


@pytest.mark.parametrize("field", ["locale", "leaderboardOptOut"])
async def test_an_explicit_null_for_a_field_that_cannot_be_cleared_is_refused(
    api: Api, acme: TenantCreds, field: str
) -> None:
    # given
    await enroll(api, acme, "c1")
    await update(api, acme, FULL)
    # when: null sent for a field that has no "cleared" state
    body = await api.gql(
        UPDATE_PROFILE, {"input": {field: None}}, token=acme.member_token(api, "c1")
    )
    # then: refused with the code of a bad variable, and nothing changed
    assert body.get("data") in (None, {"updateProfile": None})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert await me(api, acme) == {"externalId": "c1", **FULL}


async def test_an_explicit_null_literal_for_such_a_field_fails_validation(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await update(api, acme, FULL)
    # when
    body = await api.gql(
        "mutation { updateProfile(input: {locale: null}) { userErrors { code } } }",
        token=acme.member_token(api, "c1"),
    )
    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    assert await me(api, acme) == {"externalId": "c1", **FULL}
