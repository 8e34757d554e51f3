"""Global ids (Node) and node(id:): what Apollo's and Relay's caches normalise on."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.global_ids import local, tier

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
ME = "{ me { id externalId } }"
MEMBER = "query($id: ID!) { member(externalId: $id) { id } }"
SEED = """
mutation($reward: UpsertRewardInput!, $badge: UpsertBadgeInput!) {
  upsertReward(input: $reward) { reward { id } userErrors { code } }
  upsertBadge(input: $badge) { badge { id } userErrors { code } }
}
"""
REDEEM = """
mutation($input: RedeemRewardInput!) { redeemReward(input: $input) {
  redemption { id reward { id } } userErrors { code } } }
"""
OWN = """{ me { id wallet { transactions(first: 1) { edges { node { id } } } }
  tier { tier { id } } } }"""


@dataclass
class Ids:
    member: str
    reward: str
    badge: str
    redemption: str
    transaction: str
    tier: str

    def of(self, type_name: str) -> str:
        return {
            "Member": self.member,
            "Reward": self.reward,
            "Badge": self.badge,
            "Redemption": self.redemption,
            "PointsTransaction": self.transaction,
            "Tier": self.tier,
        }[type_name]


async def seed(api: Api, creds: TenantCreds) -> Ids:
    """c1 of this tenant redeems a reward; c2 exists. Returns c1's objects' global ids."""
    variables = {
        "reward": {"name": {"en": "Mug"}, "cost": 100, "kind": "FREE_PRODUCT"},
        "badge": {"name": {"en": "First"}, "rule": "FIRST_ORDER"},
    }
    seeded = (await api.gql(SEED, variables, token=creds.admin))["data"]
    reward = seeded["upsertReward"]["reward"]["id"]
    await enroll(api, creds, "c1")
    await give_points(api, creds, "c1", 300, f"{creds.slug}-seed")
    redeem = {"input": {"rewardId": reward, "idempotencyKey": "k1"}}
    redeemed = await api.gql(REDEEM, redeem, token=creds.member_token(api, "c1"))
    redemption = redeemed["data"]["redeemReward"]["redemption"]
    assert redemption["reward"]["id"] == reward
    own = (await api.gql(OWN, token=creds.member_token(api, "c1")))["data"]["me"]
    await api.gql(ME, token=creds.member_token(api, "c2"))
    return Ids(
        member=own["id"],
        reward=reward,
        badge=seeded["upsertBadge"]["badge"]["id"],
        redemption=redemption["id"],
        transaction=own["wallet"]["transactions"]["edges"][0]["node"]["id"],
        tier=own["tier"]["tier"]["id"],
    )


async def node(api: Api, node_id: str, **who: Any) -> dict[str, Any]:
    return await api.gql(NODE, {"id": node_id}, **who)


def decoded(node_id: str) -> str:
    return base64.b64decode(node_id).decode()


async def test_member_id_is_an_opaque_stable_base64_global_id(api: Api, acme: TenantCreds) -> None:
    # given c1, read as themself twice and by the admin
    token = acme.member_token(api, "c1")
    first = (await api.gql(ME, token=token))["data"]["me"]
    again = (await api.gql(ME, token=token))["data"]["me"]
    by_admin = (await api.gql(MEMBER, {"id": "c1"}, token=acme.admin))["data"]["member"]
    stored = await api.deps.members.get_by_external_id("acme", "c1")
    # then one id, base64 of "Member:<tenant>:<key>"
    assert stored is not None
    assert first["id"] == again["id"] == by_admin["id"]
    assert decoded(first["id"]) == f"Member:acme:{stored.id}"


async def test_every_cached_object_resolves_through_node_for_its_owner(
    api: Api, acme: TenantCreds
) -> None:
    # given c1's member, transaction, redemption, and the tenant's reward, tier and badge
    ids = await seed(api, acme)
    token = acme.member_token(api, "c1")
    # when c1 asks node() for each
    found = {t: (await node(api, ids.of(t), token=token))["data"]["node"] for t in TYPES}
    # then each comes back as itself, with the same id
    assert found == {t: {"__typename": t, "id": ids.of(t)} for t in TYPES}
    assert [decoded(ids.of(t)).split(":")[0] for t in TYPES] == list(TYPES)


TYPES = ("Member", "PointsTransaction", "Redemption", "Reward", "Tier", "Badge")


@pytest.mark.parametrize("type_name", TYPES)
async def test_the_admin_resolves_any_object_of_the_tenant(
    api: Api, acme: TenantCreds, type_name: str
) -> None:
    ids = await seed(api, acme)
    body = await node(api, ids.of(type_name), token=acme.admin)
    assert body["data"]["node"] == {"__typename": type_name, "id": ids.of(type_name)}


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("Member", None),  # another member's: null, as if it did not exist
        ("PointsTransaction", None),
        ("Redemption", None),
        ("Reward", "Reward"),  # the catalogue is everyone's
        ("Tier", "Tier"),
        ("Badge", "Badge"),
    ],
)
async def test_another_member_sees_only_what_is_shared(
    api: Api, acme: TenantCreds, type_name: str, expected: str | None
) -> None:
    ids = await seed(api, acme)
    body = await node(api, ids.of(type_name), token=acme.member_token(api, "c2"))
    resolved = body["data"]["node"]
    assert (resolved and resolved["__typename"]) == expected
    assert "errors" not in body


@pytest.mark.parametrize("type_name", TYPES)
async def test_another_tenants_id_resolves_to_null(
    api: Api, acme: TenantCreds, globex: TenantCreds, type_name: str
) -> None:
    # given acme's objects, and globex's admin and member c1 (the same external id)
    ids = await seed(api, acme)
    await seed(api, globex)
    # when globex callers ask for acme's ids
    as_admin = await node(api, ids.of(type_name), token=globex.admin)
    as_member = await node(api, ids.of(type_name), token=globex.member_token(api, "c1"))
    # then null, no error
    assert as_admin == {"data": {"node": None}}
    assert as_member == {"data": {"node": None}}


@pytest.mark.parametrize(
    ("type_name", "who", "code"),
    [
        ("Member", "events", "FORBIDDEN"),  # member(externalId) is the admin's
        ("PointsTransaction", "events", "FORBIDDEN"),
        ("Member", "public", "UNAUTHENTICATED"),  # me needs a member token
        ("Redemption", "public", "UNAUTHENTICATED"),
        ("Badge", "events", "FORBIDDEN"),
    ],
)
async def test_a_caller_the_types_own_query_refuses_is_refused(
    api: Api, acme: TenantCreds, type_name: str, who: str, code: str
) -> None:
    ids = await seed(api, acme)
    caller: dict[str, Any] = {"token": acme.events} if who == "events" else {"tenant": "acme"}
    body = await node(api, ids.of(type_name), **caller)
    assert body["data"] == {"node": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]


async def test_the_same_local_key_in_two_tenants_has_two_ids(api: Api) -> None:
    # every program has a "base" tier
    assert tier("acme", "base") != tier("globex", "base")
    assert decoded(tier("acme", "base")) == "Tier:acme:base"


@pytest.mark.parametrize(
    "node_id",
    [
        "c1",
        "not base64!",
        base64.b64encode(b"Unknown:acme:x").decode(),
        base64.b64encode(b"Member:acme").decode(),
        base64.b64encode(b"Member:acme:not-an-object-id").decode(),
        base64.b64encode(b"PointsTransaction:acme:000000000000000000000000:1").decode(),
        base64.b64encode(b"\xff\xfe").decode(),
        "QQ==" * 200,
    ],
)
async def test_anything_that_is_not_an_objects_id_is_null(
    api: Api, acme: TenantCreds, node_id: str
) -> None:
    body = await node(api, node_id, token=acme.admin)
    assert body == {"data": {"node": None}}


async def test_inputs_take_the_global_id_and_still_the_local_key(
    api: Api, acme: TenantCreds
) -> None:
    # given a reward, and points for two redemptions
    ids = await seed(api, acme)
    await give_points(api, acme, "c1", 100, "more")
    token = acme.member_token(api, "c1")
    # when c1 redeems it by its local key (an app built before global ids)
    legacy = {"input": {"rewardId": local(ids.reward), "idempotencyKey": "k2"}}
    body = await api.gql(REDEEM, legacy, token=token)
    # then it is the same reward
    payload = body["data"]["redeemReward"]
    assert payload["userErrors"] == []
    assert payload["redemption"]["reward"]["id"] == ids.reward
