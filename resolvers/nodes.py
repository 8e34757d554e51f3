"""`node(id:)`: any cached object by its global id, under the rules of the object's own query.

- Member and PointsTransaction: the member themself (`me`) or the admin key (`member`);
- Redemption: its member, or a merchant key (`coupon` takes either);
- Reward and Tier: anyone in the tenant (`program`, `rewards`); an inactive reward, admin only;
- Badge: members and the admin key; an inactive badge, admin only.

A caller whose kind may never read that type is refused as the type's query would refuse it
(UNAUTHENTICATED without a credential, FORBIDDEN otherwise). An id that is not a global id,
names another tenant, another member's object or nothing at all resolves to null: whether it
exists is nobody else's business. Every look-up is scoped by the tenant, so a key of another
tenant finds nothing.
"""

from __future__ import annotations

import strawberry

from graphql_schema.badges import Badge
from graphql_schema.context import Info, RequestScope
from graphql_schema.errors import auth_graphql_error
from graphql_schema.member_history import redeemed_reward
from graphql_schema.members import Member
from graphql_schema.node import GlobalId, Node, parse_global_id
from graphql_schema.permissions import InTenant
from graphql_schema.rewards import Redemption, Reward
from graphql_schema.tiers import Tier
from graphql_schema.wallet import PointsTransaction
from loyalty.errors import forbidden, unauthenticated
from loyalty.ledger import LedgerEntry
from loyalty.members import Member as DomainMember
from loyalty.principal import Kind, Principal
from loyalty.program import BASE_TIER
from loyalty.tenants import Scope

MEMBER, ADMIN, EVENTS, PUBLIC = "member", "admin", "events", "public"
READERS: dict[str, frozenset[str]] = {
    "Member": frozenset({MEMBER, ADMIN}),
    "PointsTransaction": frozenset({MEMBER, ADMIN}),
    "Redemption": frozenset({MEMBER, ADMIN, EVENTS}),
    "Reward": frozenset({MEMBER, ADMIN, EVENTS, PUBLIC}),
    "Tier": frozenset({MEMBER, ADMIN, EVENTS, PUBLIC}),
    "Badge": frozenset({MEMBER, ADMIN}),
}


def _roles(principal: Principal) -> frozenset[str]:
    if principal.kind is Kind.MEMBER:
        return frozenset({MEMBER})
    if principal.kind is Kind.MERCHANT:
        return frozenset(
            role
            for role, scope in ((ADMIN, Scope.ADMIN), (EVENTS, Scope.EVENTS))
            if scope in principal.scopes
        )
    if principal.kind is Kind.ANONYMOUS and principal.tenant is not None:
        return frozenset({PUBLIC})
    return frozenset()


async def _ledger_entry(scope: RequestScope, key: str) -> tuple[DomainMember, LedgerEntry] | None:
    """key = "<member id>:<seq>"."""
    member_id, _, seq_text = key.rpartition(":")
    if not seq_text.isdigit() or len(seq_text) > 18:
        return None
    found = await scope.deps.members.get(scope.require_tenant().slug, member_id)
    if found is None:
        return None
    seq = int(seq_text)
    entries = await scope.deps.members.ledger_page(found.tenant, found.id, seq + 1, 1)
    if not entries or entries[0].seq != seq:
        return None
    return found, entries[0]


async def _resolve(info: Info, gid: GlobalId) -> Node | None:
    scope = info.context.scope
    principal = info.context.principal
    roles = _roles(principal)
    if not roles & READERS[gid.type]:
        refusal = unauthenticated() if principal.kind is Kind.ANONYMOUS else forbidden()
        raise auth_graphql_error(refusal, scope.locale)
    admin = ADMIN in roles
    own = principal.member.id if principal.member is not None else None
    tenant = scope.require_tenant().slug
    program = scope.require_tenant().program
    if gid.type == "Member":
        member = await scope.deps.members.get(tenant, gid.key)
        visible = member is not None and (admin or member.id == own)
        return Member(_member=member) if member is not None and visible else None
    if gid.type == "PointsTransaction":
        found = await _ledger_entry(scope, gid.key)
        if found is None or not (admin or found[0].id == own):
            return None
        holder, entry = found
        return PointsTransaction(_entry=entry, _locale=scope.locale, _member=holder)
    if gid.type == "Redemption":
        redemption = await scope.deps.redemptions.get(tenant, gid.key)
        if redemption is None or (MEMBER in roles and redemption.member_id != own):
            return None
        stored = await scope.deps.rewards.get(tenant, redemption.reward_id)
        reward = redeemed_reward(redemption, stored)
        return Redemption(_redemption=redemption, _reward=Reward.of(reward, scope.locale, program))
    if gid.type == "Reward":
        found_reward = await scope.deps.rewards.get(tenant, gid.key)
        if found_reward is None or not (found_reward.active or admin):
            return None
        return Reward.of(found_reward, scope.locale, program)
    if gid.type == "Tier":
        tier = BASE_TIER if gid.key == BASE_TIER.id else program.tier(gid.key)
        return Tier(_tier=tier, _locale=scope.locale) if tier is not None else None
    badge = await scope.deps.badges.get(tenant, gid.key)
    if badge is None or not (badge.active or admin):
        return None
    return Badge(_badge=badge, _locale=scope.locale)


@strawberry.type
class NodeQuery:
    @strawberry.field(
        permission_classes=[InTenant],
        description="Any object by its global id (Node.id), under its own query's access rules.",
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        gid = parse_global_id(str(id))
        if gid is None or gid.type not in READERS:
            return None
        if gid.tenant != info.context.scope.require_tenant().slug:
            return None
        return await _resolve(info, gid)
