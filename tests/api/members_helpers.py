"""A small member directory with names in Arabic and Latin, orders, tiers and segments."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.api.conftest import Api, TenantCreds
from tests.api.test_update_profile import UPDATE_PROFILE
from tests.api.tiers_helpers import order, upsert_tier

MEMBERS = """
query($first: Int, $after: String, $segment: Segment, $tierId: ID, $search: String,
      $inactiveSince: DateTime, $sort: MemberSort! = JOINED_DESC) {
  members(first: $first, after: $after, segment: $segment, tierId: $tierId, search: $search,
          inactiveSince: $inactiveSince, sort: $sort) {
    edges { cursor node { externalId displayName segment tier { tier { id } }
                          wallet { lifetimeEarned } lastOrderAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def profile(api: Api, creds: TenantCreds, member: str, **changes: str) -> None:
    token = creds.member_token(api, member)
    body = await api.gql(UPDATE_PROFILE, {"input": changes}, token=token)
    assert body["data"]["updateProfile"]["userErrors"] == [], body


async def build_directory(api: Api, creds: TenantCreds) -> tuple[str, str]:
    """Returns the silver and gold tier ids. Silver from 500 spent, gold from 2000 (both x1,
    so points = order totals).

    m1 سارة أحمد   joined 2025-06-01  order 100 on 2025-12-01   base    lifetime 100
    m2 Omar Khalid joined 2025-07-01  order 2500 on 2025-07-02  gold    lifetime 2500
    m3 عمر الشمري  joined 2025-08-01  order 600 on 2025-08-02   silver  lifetime 600
    m4 Sara Smith  joined 2025-09-01  no order                  base    lifetime 0, NEW
    """
    silver = (await upsert_tier(api, creds, 1, "500", "1"))["tier"]["id"]
    gold = (await upsert_tier(api, creds, 2, "2000", "1"))["tier"]["id"]
    steps: list[tuple[str, str, dict[str, str], tuple[str, str] | None]] = [
        (
            "2025-06-01",
            "m1",
            {"displayName": "سارة أحمد", "email": "sara@example.com", "phone": "+966501234567"},
            None,
        ),
        ("2025-07-01", "m2", {"displayName": "Omar Khalid"}, ("2025-07-02", "2500.00")),
        ("2025-08-01", "m3", {"displayName": "عمر الشمري"}, ("2025-08-02", "600.00")),
        ("2025-09-01", "m4", {"displayName": "Sara Smith"}, None),
    ]
    for day, member, changes, placed in steps:
        api.clock.set(at(f"{day}T09:00:00"))
        await profile(api, creds, member, **changes)  # the first token enrols the member
        if placed is not None:
            api.clock.set(at(f"{placed[0]}T10:00:00"))
            await order(api, creds, member, f"{member}-o1", placed[1])
    api.clock.set(at("2025-12-01T10:00:00"))
    await order(api, creds, "m1", "m1-o1", "100.00")
    api.clock.set(at("2026-01-15T12:00:00"))
    return str(silver), str(gold)


async def members(
    api: Api, creds: TenantCreds, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    return await api.gql(MEMBERS, variables, token=token or creds.admin)


async def ids(api: Api, creds: TenantCreds, **variables: Any) -> list[str]:
    body = await members(api, creds, **variables)
    assert body.get("errors") is None, body
    return [e["node"]["externalId"] for e in body["data"]["members"]["edges"]]
