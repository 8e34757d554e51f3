"""Seasonal earning campaigns as apps read them (the contract's EarnCampaign). Only the type
lives here for now: quotes list the campaigns that apply to a cart."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.scalars import Decimal


@strawberry.type
class EarnCampaign:
    id: strawberry.ID
    name: str
    starts_at: datetime
    ends_at: datetime
    multiplier: Decimal | None = None
    bonus_points: int | None = None
