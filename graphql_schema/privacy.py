"""Erasure and export of a member's personal data."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from graphql_schema.errors import UserError


@strawberry.type
class EraseMemberPayload:
    pseudonym: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "What the member's record (wallet, ledger, orders) is known as now: "
            "member(externalId:) and memberExport take it."
        ),
    )
    already_erased: bool | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="Everything held about one member.")
class MemberExport:
    exported_at: datetime
    data: JSON = strawberry.field(
        description=(
            'A JSON object: {"format": "loyalty.member-export/1", "tenant", "exportedAt", '
            '"member", "wallet", "ledger", "orders", "redemptions", "activities", '
            '"badge_awards", "devices", "outbox", "notificationPreferences", "referrals", '
            '"referred", "transfers", "leaderboard"}.'
        )
    )
