"""Gifting and charity: the program's gifting settings, transfers, charities and donations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.common import LocalizedTextInput, LocalizedTextValue
from graphql_schema.context import Info
from graphql_schema.errors import UserError
from graphql_schema.node import global_id
from graphql_schema.wallet import Wallet
from loyalty import gifting as domain
from loyalty.usecases.charities import charity_totals


@strawberry.input
class TransferPointsInput:
    to_member_external_id: strawberry.ID
    points: int
    idempotency_key: str


strawberry.enum(domain.TransferStatus, name="TransferStatus")


@strawberry.type(description="A gift of points from the caller to another member.")
class PointsTransfer:
    id: strawberry.ID
    points: int
    status: domain.TransferStatus
    created_at: datetime


@strawberry.type
class TransferPointsPayload:
    wallet: Wallet | None = None
    transfer: PointsTransfer | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DonatePointsInput:
    charity_id: strawberry.ID
    points: int
    idempotency_key: str


@strawberry.type
class DonatePointsPayload:
    wallet: Wallet | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CharityInput:
    name: LocalizedTextInput
    id: strawberry.ID | None = None
    logo_url: str | None = strawberry.field(default=None, description="https only.")
    active: bool | None = strawberry.field(default=True, description="null: true.")


@strawberry.type
class Charity:
    _charity: strawberry.Private[domain.Charity]
    _tenant: strawberry.Private[str]
    _locale: strawberry.Private[str]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return global_id("Charity", self._tenant, self._charity.id)

    @strawberry.field(description="In the request's language (the other one when missing).")
    def name(self) -> str:
        return self._charity.name.pick(self._locale) or ""

    @strawberry.field(description="Both languages, for the merchant's editor.")
    def names(self) -> LocalizedTextValue:
        return LocalizedTextValue(ar=self._charity.name.ar, en=self._charity.name.en)

    @strawberry.field
    def logo_url(self) -> str | None:
        return self._charity.logo_url

    @strawberry.field
    def active(self) -> bool:
        return self._charity.active


@strawberry.type
class CharityPayload:
    charity: Charity | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="Points donated to one charity in the period.")
class CharityDonations:
    charity: Charity | None = strawberry.field(description="null when it was removed.")
    charity_id: strawberry.ID
    points: int
    donations: int


async def charity_donations(info: Info, start: datetime, end: datetime) -> list[CharityDonations]:
    """For ProgramStats: the period's donations per charity, largest first."""
    scope = info.context.scope
    tenant = scope.require_tenant()
    rows = await charity_totals(scope.deps, tenant, start, end)
    return [
        CharityDonations(
            charity=None
            if charity is None
            else Charity(_charity=charity, _tenant=tenant.slug, _locale=scope.locale),
            charity_id=global_id("Charity", tenant.slug, total.charity_id),
            points=total.points,
            donations=total.donations,
        )
        for charity, total in rows
    ]
