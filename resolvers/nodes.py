"""Objects by their local keys inside one tenant, for `node(id:)`.

Every lookup is scoped by the tenant, so a key of another tenant finds nothing; callers check
who may see what (graphql_schema/node_ops.py)."""

from __future__ import annotations

from graphql_schema.context import RequestScope
from loyalty.badges import Badge
from loyalty.ledger import LedgerEntry
from loyalty.members import Member
from loyalty.rewards import Redemption, Reward


async def member(scope: RequestScope, member_id: str) -> Member | None:
    return await scope.deps.members.get(scope.require_tenant().slug, member_id)


async def ledger_entry(scope: RequestScope, key: str) -> tuple[Member, LedgerEntry] | None:
    """key = "<member id>:<seq>"."""
    member_id, _, seq_text = key.rpartition(":")
    if not seq_text.isdigit() or len(seq_text) > 18:
        return None
    found = await member(scope, member_id)
    if found is None:
        return None
    seq = int(seq_text)
    entries = await scope.deps.members.ledger_page(found.tenant, found.id, seq + 1, 1)
    if not entries or entries[0].seq != seq:
        return None
    return found, entries[0]


async def reward(scope: RequestScope, reward_id: str) -> Reward | None:
    return await scope.deps.rewards.get(scope.require_tenant().slug, reward_id)


async def redemption(scope: RequestScope, redemption_id: str) -> Redemption | None:
    return await scope.deps.redemptions.get(scope.require_tenant().slug, redemption_id)


async def badge(scope: RequestScope, badge_id: str) -> Badge | None:
    return await scope.deps.badges.get(scope.require_tenant().slug, badge_id)
