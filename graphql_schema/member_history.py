"""A member's orders and redemptions as Relay connections (Member.orders, Member.redemptions).

Both read only the documents of the member they hang on: `me` shows the caller's own, and
`member(externalId)` the merchant's member."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.common import (
    PageInfo,
    bad_cursor,
    decode_key_cursor,
    encode_key_cursor,
    page_size,
)
from graphql_schema.context import Info
from graphql_schema.rewards import Redemption, Reward
from graphql_schema.scalars import Decimal
from loyalty.directory import TimeKey
from loyalty.members import Member as DomainMember
from loyalty.money import in_minor_units
from loyalty.orders import Order
from loyalty.program import LocalizedText
from loyalty.rewards import Redemption as DomainRedemption
from loyalty.rewards import Reward as DomainReward
from loyalty.rewards import RewardKind
from loyalty.usecases import directory


def _money(value: object) -> Decimal:
    return Decimal(format(value, "f"))


@strawberry.type
class MemberOrder:
    _order: strawberry.Private[Order]

    @strawberry.field
    def order_id(self) -> strawberry.ID:
        return strawberry.ID(self._order.order_id)

    @strawberry.field(description='In the currency\'s minor units ("320.00").')
    def total(self) -> Decimal:
        return _money(in_minor_units(self._order.total, self._order.currency))

    @strawberry.field
    def currency(self) -> str:
        return self._order.currency

    @strawberry.field
    def placed_at(self) -> datetime:
        return self._order.placed_at

    @strawberry.field(description="Points the order earned (before refunds took some back).")
    def points_earned(self) -> int:
        return self._order.points

    @strawberry.field
    def refunded_total(self) -> Decimal:
        # In the currency's precision like the total ("0.00", not "0", before any refund).
        return _money(in_minor_units(self._order.refunded, self._order.currency))

    @strawberry.field(description="The points were pending (return window) when recorded.")
    def pending(self) -> bool:
        return self._order.pending


@strawberry.type
class MemberOrderEdge:
    cursor: str
    node: MemberOrder


@strawberry.type
class MemberOrderConnection:
    edges: list[MemberOrderEdge]
    page_info: PageInfo


@strawberry.type
class RedemptionEdge:
    cursor: str
    node: Redemption


@strawberry.type
class RedemptionConnection:
    edges: list[RedemptionEdge]
    page_info: PageInfo


def _after(kind: str, cursor: str | None) -> TimeKey | None:
    values = decode_key_cursor(kind, cursor, 2)
    if values is None:
        return None
    at, key = values
    if not isinstance(at, datetime) or not isinstance(key, str):
        return bad_cursor()
    return TimeKey(at, key)


def _page_info(has_next: bool, cursors: list[str]) -> PageInfo:
    return PageInfo(has_next_page=has_next, end_cursor=cursors[-1] if cursors else None)


async def orders(
    info: Info, member: DomainMember, first: int | None, after: str | None
) -> MemberOrderConnection:
    limit = page_size(first)
    found = await directory.member_orders(
        info.context.scope.deps, member, _after("order", after), limit + 1
    )
    edges = [
        MemberOrderEdge(
            cursor=encode_key_cursor("order", [o.placed_at, o.order_id]), node=MemberOrder(_order=o)
        )
        for o in found[:limit]
    ]
    return MemberOrderConnection(
        edges=edges, page_info=_page_info(len(found) > limit, [e.cursor for e in edges])
    )


async def redemptions(
    info: Info, member: DomainMember, first: int | None, after: str | None
) -> RedemptionConnection:
    scope = info.context.scope
    limit = page_size(first)
    found = await directory.member_redemptions(
        scope.deps, member, _after("redemption", after), limit + 1
    )
    catalogue = {r.id: r for r in await scope.rewards(active_only=False)}
    program = scope.require_tenant().program
    edges = []
    for r in found[:limit]:
        reward = redeemed_reward(r, catalogue.get(r.reward_id))
        node = Redemption(_redemption=r, _reward=Reward.of(reward, scope.locale, program))
        edges.append(
            RedemptionEdge(cursor=encode_key_cursor("redemption", [r.created_at, r.id]), node=node)
        )
    return RedemptionConnection(
        edges=edges, page_info=_page_info(len(found) > limit, [e.cursor for e in edges])
    )


def redeemed_reward(redemption: DomainRedemption, reward: DomainReward | None) -> DomainReward:
    """The reward a redemption was for, as the catalogue has it (or as the redemption recorded
    it: rewards are never deleted; this only guards against a catalogue edited by hand)."""
    return reward or DomainReward(
        id=redemption.reward_id,
        name=redemption.reward_name,
        description=LocalizedText(),
        cost=redemption.points_spent,
        kind=RewardKind.FREE_PRODUCT,
        value=None,
        min_tier_id=None,
        active=False,
        coupon_valid_days=None,
        created_at=redemption.created_at,
    )
