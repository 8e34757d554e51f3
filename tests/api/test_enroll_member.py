"""enrollMember: store sync creates members once, with the signup bonus granted once."""

from __future__ import annotations

import asyncio
from typing import Any

from mongo.client import Database
from tests.api.conftest import WALLET, Api, TenantCreds

ENROLL = """
mutation($input: EnrollMemberInput!) {
  enrollMember(input: $input) {
    member { externalId displayName locale joinedAt }
    userErrors { code field message }
  }
}
"""

MEMBER = """
query($id: ID!) { member(externalId: $id) { externalId displayName locale joinedAt
  wallet { balance lifetimeEarned transactions(first: 50) { edges { node { type points } } } } } }
"""

UPDATE_PROGRAM = """
mutation($input: UpdateProgramInput!) {
  updateProgram(input: $input) { program { earnRate } userErrors { code field message } }
}
"""


async def enroll_member(api: Api, token: str, external_id: str, **extra: Any) -> dict[str, Any]:
    body = await api.gql(ENROLL, {"input": {"externalId": external_id, **extra}}, token=token)
    payload: dict[str, Any] = body["data"]["enrollMember"]
    return payload


async def member(api: Api, creds: TenantCreds, external_id: str = "c1") -> dict[str, Any] | None:
    body = await api.gql(MEMBER, {"id": external_id}, token=creds.admin)
    found: dict[str, Any] | None = body["data"]["member"]
    return found


async def member_count(database: Database, creds: TenantCreds) -> int:
    count: int = await database.db["members"].count_documents({"tenant": creds.slug})
    return count


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["member"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def test_enrolment_creates_the_member(api: Api, acme: TenantCreds) -> None:
    # given
    assert await member(api, acme) is None
    # when
    payload = await enroll_member(api, acme.admin, "c1", displayName="Sara", locale="ar")
    # then
    assert payload["userErrors"] == []
    joined = payload["member"]["joinedAt"]
    assert payload["member"] == {
        "externalId": "c1",
        "displayName": "Sara",
        "locale": "ar",
        "joinedAt": joined,
    }
    assert await member(api, acme) == {
        "externalId": "c1",
        "displayName": "Sara",
        "locale": "ar",
        "joinedAt": joined,
        "wallet": {"balance": 0, "lifetimeEarned": 0, "transactions": {"edges": []}},
    }


async def test_events_key_may_enrol(api: Api, acme: TenantCreds) -> None:
    # given
    # when
    payload = await enroll_member(api, acme.events, "c1")
    # then
    assert payload["userErrors"] == []
    assert payload["member"]["externalId"] == "c1"
    assert payload["member"]["locale"] == "en"
    found = await member(api, acme)
    assert found is not None and found["externalId"] == "c1"


async def test_enrolling_again_returns_the_same_member(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given
    first = await enroll_member(api, acme.admin, "c1", displayName="Sara")
    before = await member(api, acme)
    # when
    second = await enroll_member(api, acme.admin, "c1", displayName="Other")
    # then
    assert second == first
    assert second["member"]["displayName"] == "Sara"
    assert await member(api, acme) == before
    assert await member_count(database, acme) == 1


async def test_unknown_locale_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    # when
    payload = await enroll_member(api, acme.admin, "c1", locale="fr")
    # then
    assert refused(payload) == ("INVALID_LOCALE", ["input", "locale"])
    assert await member(api, acme) is None


async def test_overlong_external_id_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    external_id = "x" * 129
    # when
    payload = await enroll_member(api, acme.admin, external_id)
    # then
    assert refused(payload) == ("INVALID_INPUT", ["input", "externalId"])
    assert await member(api, acme, external_id) is None


async def test_member_token_is_forbidden(api: Api, acme: TenantCreds) -> None:
    # given
    token = acme.member_token(api, "c1")
    # when
    body = await api.gql(ENROLL, {"input": {"externalId": "c2"}}, token=token)
    # then
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await member(api, acme, "c2") is None


async def test_signup_bonus_is_granted_exactly_once(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given
    rules = [{"kind": "ACTIVITY", "activity": "SIGNUP", "points": 100, "limit": 1}]
    body = await api.gql(UPDATE_PROGRAM, {"input": {"earningRules": rules}}, token=acme.admin)
    assert body["data"]["updateProgram"]["userErrors"] == [], body
    # when
    payloads = await asyncio.gather(
        enroll_member(api, acme.admin, "c1"), enroll_member(api, acme.events, "c1")
    )
    wallet = await api.gql(WALLET, token=acme.member_token(api, "c1"))
    # then
    assert [p["userErrors"] for p in payloads] == [[], []]
    assert payloads[0]["member"]["joinedAt"] == payloads[1]["member"]["joinedAt"]
    me = wallet["data"]["me"]
    assert me["externalId"] == "c1"
    assert (me["wallet"]["balance"], me["wallet"]["lifetimeEarned"]) == (100, 100)
    nodes = [edge["node"] for edge in me["wallet"]["transactions"]["edges"]]
    assert [(n["type"], n["points"]) for n in nodes] == [("EARN", 100)]
    found = await member(api, acme)
    assert found is not None and found["wallet"]["balance"] == 100
    assert await member_count(database, acme) == 1
