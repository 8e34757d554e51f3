"""Members: me (member), member and the member list (admin), enrollMember (merchant) and
updateProfile (member)."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

import strawberry

from graphql_schema.common import PageInfo, page_size
from graphql_schema.context import Info, RequestScope
from graphql_schema.errors import attempt
from graphql_schema.member_list import (
    MemberConnection,
    MemberEdge,
    MemberSort,
    member_after,
    member_cursor,
)
from graphql_schema.member_payloads import MemberPayload, UpdateProfilePayload
from graphql_schema.members import EnrollMemberInput, Member, UpdateProfileInput
from graphql_schema.node import optional_key
from graphql_schema.permissions import HasAdminScope, IsMember, IsMerchant
from graphql_schema.tiers import Segment
from loyalty import directory as rules
from loyalty.clock import ensure_utc
from loyalty.members import Member as DomainMember
from loyalty.tenants import Scope
from loyalty.usecases import directory, leaderboards, members


async def _reread_me(scope: RequestScope) -> Member:
    return Member(_member=await scope.current_member())


@strawberry.type
class MemberQuery:
    @strawberry.field(permission_classes=[IsMember], graphql_type=Member)
    def me(self, info: Info) -> Member | Awaitable[Member]:
        # Not a coroutine when this HTTP request's authentication has just read the member:
        # graphql-core then runs the app's first query without awaiting anything.
        scope = info.context.scope
        if scope.member_read_now:
            return Member(_member=scope.require_member())
        return _reread_me(scope)

    @strawberry.field(permission_classes=[HasAdminScope])
    async def member(self, info: Info, external_id: strawberry.ID) -> Member | None:
        scope = info.context.scope
        found = await scope.deps.members.get_by_external_id(
            scope.require_tenant().slug, str(external_id)
        )
        return Member(_member=found) if found else None


@strawberry.type
class MemberMutation:
    @strawberry.mutation(
        permission_classes=[IsMerchant],
        description="Creates the member if absent (store sync), before they open the app.",
    )
    async def enroll_member(self, info: Info, input: EnrollMemberInput) -> MemberPayload:
        scope = info.context.scope
        member, errors = await attempt(
            scope.locale,
            lambda: members.enrol(
                scope.deps,
                scope.require_tenant(),
                str(input.external_id),
                display_name=input.display_name,
                locale=input.locale,
                # Only the admin key brings back a customer whose data was erased.
                reenrol=Scope.ADMIN in info.context.principal.scopes,
            ),
        )
        if member is None:
            return MemberPayload(user_errors=errors)
        return MemberPayload(member=Member(_member=member))

    @strawberry.mutation(permission_classes=[IsMember])
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> UpdateProfilePayload:
        scope = info.context.scope
        changes: dict[str, str | None] = {}
        for name, value in (
            ("displayName", input.display_name),
            ("locale", input.locale),
            ("email", input.email),
            ("phone", input.phone),
        ):
            if value is not None:
                changes[name] = value.value
        if input.birthday is not None:
            born = input.birthday.value
            changes["birthday"] = None if born is None else born.isoformat()
        opt_out = input.leaderboard_opt_out

        async def update() -> DomainMember:
            # Profile checks first: a refused profile change leaves the opt-out untouched.
            member = await members.update_profile(scope.deps, scope.require_member(), changes)
            if opt_out is None:
                return member
            await leaderboards.set_opt_out(scope.deps, scope.require_member(), opt_out.value)
            return await scope.refreshed_member()

        member, errors = await attempt(scope.locale, update)
        if member is None:
            return UpdateProfilePayload(user_errors=errors)
        return UpdateProfilePayload(member=Member(_member=member))


@strawberry.type
class MemberListQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope],
        description=(
            "Members, newest first by default. `search` matches word prefixes of the name, "
            "email and external id, and phone digits (Arabic and Latin, all words must match); "
            "search results are in join order. `inactiveSince`: no order since then (and "
            "joined before). Bad arguments are top-level errors with extensions.code and "
            "extensions.field."
        ),
    )
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        segment: Segment | None = None,
        tier_id: strawberry.ID | None = None,
        search: str | None = None,
        inactive_since: datetime | None = None,
        sort: MemberSort = MemberSort.JOINED_DESC,
    ) -> MemberConnection:
        scope = info.context.scope
        tenant = scope.require_tenant()
        limit = page_size(first)
        tier = optional_key(tier_id, "Tier", tenant.slug)
        start = member_after(sort, after)
        where = directory.member_filter(
            tenant,
            segment=segment,
            tier_id=tier,
            search=search,
            # A DateTime without an offset is read as UTC, like every time the API returns.
            inactive_since=None if inactive_since is None else ensure_utc(inactive_since),
            sort=sort,
        )
        found = await directory.list_members(scope.deps, tenant, where, sort, start, limit + 1)
        edges = [
            MemberEdge(
                cursor=member_cursor(sort, rules.sort_value(m, sort), m.id), node=Member(_member=m)
            )
            for m in found[:limit]
        ]
        return MemberConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(found) > limit,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
