"""Tiers and a member's tier status as members and apps see them; upsertTier's input and
payload."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal as D

import strawberry

from graphql_schema.common import LocalizedTextInput
from graphql_schema.context import Info
from graphql_schema.errors import UserError
from graphql_schema.node import Node, global_id
from graphql_schema.scalars import Decimal
from loyalty import program as domain
from loyalty.engagement_settings import TierMetric as DomainTierMetric
from loyalty.engagement_settings import TierReset as DomainTierReset
from loyalty.segments import Segment as DomainSegment
from loyalty.tiers import TierState, effective_tier, next_tier, qualified_tier, tier_of


@strawberry.type
class Tier(Node):
    _tier: strawberry.Private[domain.Tier]
    _locale: strawberry.Private[str]

    @strawberry.field(description="Global id (Node); inputs also take the tier's local id.")
    def id(self, info: Info) -> strawberry.ID:
        return global_id("Tier", info.context.scope.require_tenant().slug, self._tier.id)

    @strawberry.field
    def name(self) -> str:
        return self._tier.name.pick(self._locale, self._tier.id) or self._tier.id

    @strawberry.field
    def rank(self) -> int:
        return self._tier.rank

    @strawberry.field
    def threshold(self) -> float:
        return float(self._tier.threshold)

    @strawberry.field
    def earn_multiplier(self) -> float:
        return float(self._tier.earn_multiplier)

    @strawberry.field(
        description="What a member holding the tier needs to keep it (equal to `threshold` "
        "unless the merchant set a lower one)."
    )
    def keep_threshold(self) -> float:
        return float(self._tier.keep_at)

    @strawberry.field
    def perks(self) -> list[str]:
        return [p.pick(self._locale) or "" for p in self._tier.perks]


strawberry.enum(DomainSegment, name="Segment")
Segment = DomainSegment
strawberry.enum(DomainTierMetric, name="TierMetric")
TierMetric = DomainTierMetric
strawberry.enum(
    DomainTierReset,
    name="TierReset",
    description="ROLLING: the last windowMonths (or all time). CALENDAR_YEAR: since 1 January "
    "in the program's time zone.",
)
TierReset = DomainTierReset


@strawberry.type(description="The member's tier now, and how far the next one is.")
class TierStatus:
    _program: strawberry.Private[domain.Program]
    _state: strawberry.Private[TierState]
    # The qualifying value reads the member's orders in the window: only fields that need it
    # pay for it (the app-start query asks for the tier's name alone), once per status.
    _value_of: strawberry.Private[Callable[[], Awaitable[D]]]
    _now: strawberry.Private[datetime]
    _locale: strawberry.Private[str]
    _value_cache: strawberry.Private[list[D]] = strawberry.field(default_factory=list)

    async def _value(self) -> D:
        if not self._value_cache:
            self._value_cache.append(await self._value_of())
        return self._value_cache[0]

    async def _qualified(self) -> domain.Tier:
        # Value computed fresh at read: an order leaving the window shows at once.
        held = tier_of(self._program, self._state.qualified_id)
        reached = qualified_tier(self._program, await self._value())
        return reached if reached.rank > held.rank else held

    @strawberry.field
    def tier(self) -> Tier:
        return Tier(
            _tier=effective_tier(self._program, self._state, self._now), _locale=self._locale
        )

    @strawberry.field
    async def is_trial(self) -> bool:
        qualified = await self._qualified()
        return effective_tier(self._program, self._state, self._now).rank > qualified.rank

    @strawberry.field
    def trial_ends_at(self) -> datetime | None:
        trial = self._state.trial
        return trial.ends_at if trial is not None and trial.ends_at > self._now else None

    @strawberry.field(description="Points, spend or orders (the program's metric) in the window.")
    async def qualifying_value(self) -> float:
        return float(await self._value())

    @strawberry.field
    def metric(self) -> TierMetric:
        return self._program.tier_policy.metric

    @strawberry.field
    async def next_tier(self) -> Tier | None:
        upper = next_tier(self._program, await self._qualified())
        return Tier(_tier=upper, _locale=self._locale) if upper else None

    @strawberry.field
    async def remaining_to_next_tier(self) -> float | None:
        upper = next_tier(self._program, await self._qualified())
        value = await self._value()
        return None if upper is None else float(max(upper.threshold - value, D(0)))


@strawberry.input
class UpsertTierInput:
    name: LocalizedTextInput
    rank: int = strawberry.field(description="1 = the first tier above the base; higher = better.")
    threshold: Decimal = strawberry.field(
        description="Qualifying value (program metric) needed, higher for each higher rank."
    )
    earn_multiplier: Decimal = strawberry.field(description="1 to 10, applied to order points.")
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Absent: a new tier. Present: replaces that tier."
    )
    perks: list[LocalizedTextInput] | None = None
    keep_threshold: Decimal | None = strawberry.field(
        default=None,
        description="Lower than `threshold` to let members keep the tier on less than it "
        "takes to enter; absent: the entry threshold.",
    )


@strawberry.type
class UpsertTierPayload:
    tier: Tier | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
