"""Members as the app (me) and the merchant (member) see them."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from graphql_schema import member_history
from graphql_schema.badges import BadgeAward
from graphql_schema.context import Info
from graphql_schema.node import Node, global_id
from graphql_schema.tiers import Segment, TierStatus
from graphql_schema.wallet import Wallet
from loyalty.members import Member as DomainMember
from loyalty.usecases.badges import member_badges
from loyalty.usecases.tiers import qualifying_value


@strawberry.type
class Member(Node):
    _member: strawberry.Private[DomainMember]

    @strawberry.field(description="Global id (Node): for client caches and `node(id:)`.")
    def id(self, info: Info) -> strawberry.ID:
        return global_id("Member", self._member.tenant, self._member.id)

    @strawberry.field
    def external_id(self) -> strawberry.ID:
        return strawberry.ID(self._member.external_id)

    @strawberry.field
    def display_name(self) -> str | None:
        return self._member.display_name

    @strawberry.field
    def locale(self) -> str:
        return self._member.locale

    @strawberry.field
    def joined_at(self) -> datetime:
        return self._member.joined_at

    @strawberry.field
    def email(self) -> str | None:
        return self._member.email

    @strawberry.field
    def phone(self) -> str | None:
        return self._member.phone

    @strawberry.field(description="The day the program's birthday gift is paid (yearly).")
    def birthday(self) -> date | None:
        return self._member.birthday

    @strawberry.field
    def referral_code(self) -> str:
        return self._member.referral_code

    @strawberry.field
    def wallet(self, info: Info) -> Wallet:
        return Wallet(_member=self._member, _now=info.context.scope.deps.clock.now())

    @strawberry.field
    def tier(self, info: Info) -> TierStatus:
        scope = info.context.scope
        tenant = scope.require_tenant()
        member = self._member
        return TierStatus(
            _program=tenant.program,
            _state=member.tier,
            _value_of=lambda: qualifying_value(scope.deps, tenant.program, member.id, tenant.slug),
            _now=scope.deps.clock.now(),
            _locale=scope.locale,
        )

    @strawberry.field(description="RFM segment, recomputed on orders and by a scheduled job.")
    def segment(self) -> Segment:
        return self._member.segment

    @strawberry.field(description="Every badge earned, then the active ones still to earn.")
    async def badges(self, info: Info) -> list[BadgeAward]:
        scope = info.context.scope
        found = await member_badges(scope.deps, scope.require_tenant(), self._member)
        return [BadgeAward(_progress=p, _locale=scope.locale) for p in found]

    @strawberry.field
    def leaderboard_opt_out(self) -> bool:
        return self._member.leaderboard_opt_out

    @strawberry.field
    def first_order_at(self) -> datetime | None:
        return self._member.first_order_at

    @strawberry.field
    def last_order_at(self) -> datetime | None:
        return self._member.last_order_at

    @strawberry.field(description="This member's orders, newest first.")
    async def orders(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> member_history.MemberOrderConnection:
        return await member_history.orders(info, self._member, first, after)

    @strawberry.field(description="This member's coupons (issued or used), newest first.")
    async def redemptions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> member_history.RedemptionConnection:
        return await member_history.redemptions(info, self._member, first, after)


@strawberry.input
class UpdateProfileInput:
    display_name: strawberry.Maybe[str | None] = None
    locale: strawberry.Maybe[str] = None
    email: strawberry.Maybe[str | None] = None
    phone: strawberry.Maybe[str | None] = None
    leaderboard_opt_out: strawberry.Maybe[bool] = strawberry.field(
        default=None, description="true: hidden from leaderboards (from the next refresh)."
    )
    birthday: strawberry.Maybe[date | None] = strawberry.field(
        default=None, description="A past day since 1900; null clears it."
    )


@strawberry.input
class EnrollMemberInput:
    external_id: strawberry.ID
    display_name: str | None = None
    locale: str | None = None
