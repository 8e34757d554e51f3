"""Tiers as members and apps see them."""

from __future__ import annotations

import strawberry

from loyalty import program as domain


@strawberry.type
class Tier:
    _tier: strawberry.Private[domain.Tier]
    _locale: strawberry.Private[str]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self._tier.id)

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

    @strawberry.field
    def perks(self) -> list[str]:
        return [p.pick(self._locale) or "" for p in self._tier.perks]
