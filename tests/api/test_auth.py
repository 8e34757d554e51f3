"""Authentication and authorization through GraphQL over HTTP."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

import jwt

from tests.api.conftest import (
    ADJUST,
    CREATE_TENANT,
    PLATFORM_KEY,
    RECORD_ORDER,
    WALLET,
    Api,
    TenantCreds,
    create_tenant,
    enroll,
    give_points,
)

ME = "{ me { externalId wallet { balance } } }"
MEMBER = """
query($id: ID!) { member(externalId: $id) { externalId wallet { balance
  transactions(first: 50) { edges { node { type points } } } } } }
"""
PROGRAM = "{ program { name currency defaultLocale } }"
ROTATE = """
mutation { rotateMemberTokenSecret { kid memberTokenSecret keys { kid alg }
  userErrors { code field message } } }
"""
REVOKE = """
mutation($kid: String!) { revokeMemberTokenKey(kid: $kid) { keys { kid }
  userErrors { code field message } } }
"""
KEYS = "{ memberTokenKeys { kid alg } }"


def error_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def refused(body: dict[str, Any], field: str) -> str:
    """The top-level auth error code of a refused call, with the field's data null."""
    assert body["data"] is None or body["data"][field] is None, body
    assert len(body["errors"]) == 1, body
    return error_code(body)


async def member_of(api: Api, creds: TenantCreds, external_id: str) -> Any:
    body = await api.gql(MEMBER, {"id": external_id}, token=creds.admin)
    assert "errors" not in body, body
    return body["data"]["member"]


async def tenant_exists(api: Api, slug: str) -> bool:
    body = await api.gql(PROGRAM, tenant=slug)
    if "errors" in body:
        assert error_code(body) == "UNAUTHENTICATED", body
        return False
    return True


def raw_token(
    api: Api,
    secret: str,
    kid: str,
    *,
    iss: str = "acme",
    sub: str = "x",
    aud: str = "loyalty",
    iat_offset: int = 0,
    ttl: int = 3600,
) -> str:
    now = int(api.clock.now().timestamp())
    claims = {"iss": iss, "sub": sub, "aud": aud, "iat": now + iat_offset, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm="HS256", headers={"kid": kid})


# ----------------------------------------------------------------------------- me


async def test_me_without_token_is_unauthenticated(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(ME)
    # then
    assert refused(body, "me") == "UNAUTHENTICATED"


async def test_first_valid_member_token_enrols_the_member(api: Api, acme: TenantCreds) -> None:
    # given
    assert await member_of(api, acme, "new-1") is None
    # when
    body = await api.gql(ME, token=acme.member_token(api, "new-1"))
    # then
    assert body == {"data": {"me": {"externalId": "new-1", "wallet": {"balance": 0}}}}
    assert await member_of(api, acme, "new-1") == {
        "externalId": "new-1",
        "wallet": {"balance": 0, "transactions": {"edges": []}},
    }


# ----------------------------------------------------------------------- JWT abuse


async def assert_rejected_and_not_enrolled(api: Api, acme: TenantCreds, token: str) -> None:
    # when
    body = await api.gql(ME, token=token)
    # then
    assert refused(body, "me") == "UNAUTHENTICATED"
    assert await member_of(api, acme, "x") is None


async def test_expired_member_token_is_rejected(api: Api, acme: TenantCreds) -> None:
    # given
    token = acme.member_token(api, "x", ttl=timedelta(hours=1))
    api.clock.advance(timedelta(hours=2))
    # when / then
    await assert_rejected_and_not_enrolled(api, acme, token)


async def test_wrong_audience_is_rejected(api: Api, acme: TenantCreds) -> None:
    # given
    token = raw_token(api, acme.secret, acme.kid, aud="not-loyalty")
    # when / then
    await assert_rejected_and_not_enrolled(api, acme, token)


async def test_issuer_of_another_tenant_with_acme_secret_is_rejected(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    token = raw_token(api, acme.secret, acme.kid, iss="globex")
    # when
    body = await api.gql(ME, token=token)
    # then
    assert refused(body, "me") == "UNAUTHENTICATED"
    assert await member_of(api, acme, "x") is None
    assert await member_of(api, globex, "x") is None


async def test_alg_none_token_is_rejected(api: Api, acme: TenantCreds) -> None:
    # given
    now = int(api.clock.now().timestamp())
    claims = {"iss": "acme", "sub": "x", "aud": "loyalty", "iat": now, "exp": now + 3600}
    token = jwt.encode(claims, "", algorithm="none", headers={"kid": acme.kid})
    # when / then
    await assert_rejected_and_not_enrolled(api, acme, token)


async def test_unknown_kid_is_rejected(api: Api, acme: TenantCreds) -> None:
    # given
    token = raw_token(api, acme.secret, "k_unknownkid0")
    # when / then
    await assert_rejected_and_not_enrolled(api, acme, token)


async def test_token_signed_with_another_tenants_secret_is_rejected(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    token = raw_token(api, globex.secret, acme.kid, iss="acme")
    # when / then
    await assert_rejected_and_not_enrolled(api, acme, token)
    assert await member_of(api, globex, "x") is None


async def test_garbage_token_is_rejected(api: Api, acme: TenantCreds) -> None:
    # when / then
    await assert_rejected_and_not_enrolled(api, acme, "not.a.jwt")


async def test_token_issued_in_the_future_beyond_leeway_is_rejected(
    api: Api, acme: TenantCreds
) -> None:
    # given
    token = raw_token(api, acme.secret, acme.kid, iat_offset=31)
    # when / then
    await assert_rejected_and_not_enrolled(api, acme, token)


async def test_token_issued_in_the_future_within_leeway_is_accepted(
    api: Api, acme: TenantCreds
) -> None:
    # given
    token = raw_token(api, acme.secret, acme.kid, iat_offset=30)
    # when
    body = await api.gql(ME, token=token)
    # then
    assert body == {"data": {"me": {"externalId": "x", "wallet": {"balance": 0}}}}


# -------------------------------------------------------------------------- scopes


async def test_events_key_cannot_adjust_points(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 10, "k1")
    # when
    body = await api.gql(
        ADJUST,
        {"input": {"memberExternalId": "c1", "points": 500, "reason": "x", "idempotencyKey": "k2"}},
        token=acme.events,
    )
    # then
    assert refused(body, "adjustPoints") == "FORBIDDEN"
    member = await member_of(api, acme, "c1")
    assert member["wallet"]["balance"] == 10
    assert len(member["wallet"]["transactions"]["edges"]) == 1


def order_input(member: str, order_id: str) -> dict[str, Any]:
    return {
        "input": {
            "memberExternalId": member,
            "orderId": order_id,
            "total": "100.00",
            "currency": "SAR",
        }
    }


async def test_admin_key_cannot_record_order(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    body = await api.gql(RECORD_ORDER, order_input("c1", "o1"), token=acme.admin)
    # then
    assert refused(body, "recordOrder") == "FORBIDDEN"
    member = await member_of(api, acme, "c1")
    assert member["wallet"] == {"balance": 0, "transactions": {"edges": []}}


async def test_member_token_cannot_record_order(api: Api, acme: TenantCreds) -> None:
    # given
    token = acme.member_token(api, "c1")
    # when
    body = await api.gql(RECORD_ORDER, order_input("c1", "o1"), token=token)
    # then
    assert refused(body, "recordOrder") == "FORBIDDEN"
    wallet = (await api.gql(WALLET, token=token))["data"]["me"]["wallet"]
    assert (wallet["balance"], wallet["pendingBalance"], wallet["lifetimeEarned"]) == (0, 0, 0)
    assert wallet["transactions"]["edges"] == []


async def test_platform_key_cannot_call_me(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(ME, token=PLATFORM_KEY)
    # then
    assert refused(body, "me") == "FORBIDDEN"


def tenant_input(slug: str, currency: str = "SAR", locale: str = "en") -> dict[str, Any]:
    return {"input": {"slug": slug, "name": "New", "currency": currency, "defaultLocale": locale}}


async def test_anonymous_cannot_create_tenant(api: Api) -> None:
    # when
    body = await api.gql(CREATE_TENANT, tenant_input("newco"))
    # then
    assert refused(body, "createTenant") == "UNAUTHENTICATED"
    assert await tenant_exists(api, "newco") is False


async def test_admin_key_cannot_create_tenant(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(CREATE_TENANT, tenant_input("newco"), token=acme.admin)
    # then
    assert refused(body, "createTenant") == "FORBIDDEN"
    assert await tenant_exists(api, "newco") is False


async def test_unknown_well_formed_api_key_is_unauthenticated(api: Api, acme: TenantCreds) -> None:
    # given
    key = "lk_" + secrets.token_urlsafe(32)
    assert len(key) == 46
    # when
    body = await api.gql(MEMBER, {"id": "c1"}, token=key)
    # then
    assert refused(body, "member") == "UNAUTHENTICATED"


# ---------------------------------------------------------------- public / X-Tenant


async def test_public_program_with_tenant_header(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(PROGRAM, tenant="acme")
    # then
    assert body == {"data": {"program": {"name": "Acme", "currency": "SAR", "defaultLocale": "en"}}}


async def test_public_program_with_unknown_tenant_header(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(PROGRAM, tenant="nope")
    # then
    assert refused(body, "program") == "UNAUTHENTICATED"


async def test_public_program_without_tenant_or_token(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(PROGRAM)
    # then
    assert refused(body, "program") == "UNAUTHENTICATED"


async def test_auth_error_message_is_localized(api: Api, acme: TenantCreds) -> None:
    # given
    english = (await api.gql(ME, locale="en"))["errors"][0]["message"]
    # when
    body = await api.gql(ME, locale="ar")
    # then
    assert refused(body, "me") == "UNAUTHENTICATED"
    arabic = body["errors"][0]["message"]
    assert arabic != english
    assert re.search("[\u0600-\u06ff]", arabic), arabic


# ------------------------------------------------------------ createTenant input


async def create_tenant_error(api: Api, variables: dict[str, Any]) -> str:
    body = await api.gql(CREATE_TENANT, variables, token=PLATFORM_KEY)
    assert "errors" not in body, body
    payload = body["data"]["createTenant"]
    assert payload["tenant"] is None
    assert payload["adminApiKey"] is None
    assert len(payload["userErrors"]) == 1, payload
    code: str = payload["userErrors"][0]["code"]
    return code


async def test_create_tenant_duplicate_slug(api: Api, acme: TenantCreds) -> None:
    # when
    code = await create_tenant_error(api, tenant_input("acme", currency="USD"))
    # then
    assert code == "ALREADY_EXISTS"
    body = await api.gql(PROGRAM, tenant="acme")
    assert body["data"]["program"]["currency"] == "SAR"
    # the original admin key still works
    assert await member_of(api, acme, "c1") is None


async def test_create_tenant_invalid_slug(api: Api) -> None:
    # when
    code = await create_tenant_error(api, tenant_input("Bad Slug"))
    # then
    assert code == "INVALID_SLUG"
    assert await tenant_exists(api, "Bad Slug") is False


async def test_create_tenant_invalid_currency(api: Api) -> None:
    # when
    code = await create_tenant_error(api, tenant_input("newco", currency="XYZ"))
    # then
    assert code == "INVALID_CURRENCY"
    assert await tenant_exists(api, "newco") is False


async def test_create_tenant_invalid_locale(api: Api) -> None:
    # when
    code = await create_tenant_error(api, tenant_input("newco", locale="fr"))
    # then
    assert code == "INVALID_LOCALE"
    assert await tenant_exists(api, "newco") is False


# ------------------------------------------------------------------ key rotation


async def test_rotation_keeps_old_key_until_revoked(api: Api, acme: TenantCreds) -> None:
    # given
    old_token = acme.member_token(api, "c1")
    # when
    body = await api.gql(ROTATE, token=acme.admin)
    # then
    rotated = body["data"]["rotateMemberTokenSecret"]
    assert rotated["userErrors"] == []
    new_kid, new_secret = rotated["kid"], rotated["memberTokenSecret"]
    assert new_kid != acme.kid
    assert new_secret != acme.secret
    assert {k["kid"] for k in rotated["keys"]} == {acme.kid, new_kid}
    new_creds = TenantCreds(acme.slug, acme.admin, acme.events, new_secret, new_kid)
    new_token = new_creds.member_token(api, "c1")
    assert (await api.gql(ME, token=old_token))["data"]["me"]["externalId"] == "c1"
    assert (await api.gql(ME, token=new_token))["data"]["me"]["externalId"] == "c1"

    # when
    body = await api.gql(REVOKE, {"kid": acme.kid}, token=acme.admin)
    # then
    revoked = body["data"]["revokeMemberTokenKey"]
    assert revoked == {"keys": [{"kid": new_kid}], "userErrors": []}
    assert refused(await api.gql(ME, token=old_token), "me") == "UNAUTHENTICATED"
    assert (await api.gql(ME, token=new_token))["data"]["me"]["externalId"] == "c1"


async def test_revoking_the_last_key_is_refused(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(REVOKE, {"kid": acme.kid}, token=acme.admin)
    # then
    payload = body["data"]["revokeMemberTokenKey"]
    assert payload["keys"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["LAST_KEY"]
    assert (await api.gql(KEYS, token=acme.admin))["data"]["memberTokenKeys"] == [
        {"kid": acme.kid, "alg": "HS256"}
    ]
    token = acme.member_token(api, "c1")
    assert (await api.gql(ME, token=token))["data"]["me"]["externalId"] == "c1"


async def test_revoking_an_unknown_kid_is_refused(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(REVOKE, {"kid": "k_doesnotexist"}, token=acme.admin)
    # then
    payload = body["data"]["revokeMemberTokenKey"]
    assert payload["keys"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["KEY_NOT_FOUND"]
    assert (await api.gql(KEYS, token=acme.admin))["data"]["memberTokenKeys"] == [
        {"kid": acme.kid, "alg": "HS256"}
    ]


async def test_other_tenant_created_after_rotation_is_independent(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await api.gql(ROTATE, token=acme.admin)
    # when
    other = await create_tenant(api, "other")
    # then
    assert (await api.gql(KEYS, token=other.admin))["data"]["memberTokenKeys"] == [
        {"kid": other.kid, "alg": "HS256"}
    ]
