"""Earn campaigns (seasonal multipliers and bonuses) and the seasons offered as presets."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import strawberry

from graphql_schema.common import LocalizedTextInput, LocalizedTextValue
from graphql_schema.errors import UserError
from graphql_schema.node import global_id, optional_key
from graphql_schema.scalars import Decimal
from graphql_schema.tiers import Segment
from loyalty import earn_campaigns as domain
from loyalty import earn_presets
from loyalty.usecases.earn_campaigns import EarnCampaignInput as DomainInput

strawberry.enum(earn_presets.PresetKind, name="EarnCampaignPresetKind")
PresetKind = earn_presets.PresetKind


@strawberry.type(description="A time-boxed earning boost (for example Ramadan double points).")
class EarnCampaign:
    _campaign: strawberry.Private[domain.EarnCampaign]
    _locale: strawberry.Private[str]
    _tenant: strawberry.Private[str]

    @strawberry.field(description="Opaque and stable; inputs also take the campaign's local id.")
    def id(self) -> strawberry.ID:
        return global_id("EarnCampaign", self._tenant, self._campaign.id)

    @strawberry.field(description="In the reader's language.")
    def name(self) -> str:
        return self._campaign.name.pick(self._locale) or self._campaign.id

    @strawberry.field
    def starts_at(self) -> datetime:
        return self._campaign.starts_at

    @strawberry.field(description="Exclusive: the first instant the campaign no longer runs.")
    def ends_at(self) -> datetime:
        return self._campaign.ends_at

    @strawberry.field(description="Multiplies the points paid lines earn; the best one wins.")
    def multiplier(self) -> Decimal | None:
        value = self._campaign.multiplier
        return None if value is None else Decimal(str(value))

    @strawberry.field(description="Added once to each order it covers; bonuses add up.")
    def bonus_points(self) -> int | None:
        return self._campaign.bonus_points

    @strawberry.field(description="Only lines in these categories (none: every line).")
    def categories(self) -> list[str]:
        return list(self._campaign.categories)

    @strawberry.field(description="Only lines with these SKUs (none: every line).")
    def skus(self) -> list[str]:
        return list(self._campaign.skus)

    @strawberry.field(description="Only members in this segment.")
    def segment(self) -> Segment | None:
        return self._campaign.segment

    @strawberry.field(description="Only members enjoying this tier (as `Tier.id`).")
    def tier_id(self) -> strawberry.ID | None:
        tier = self._campaign.tier_id
        return None if tier is None else global_id("Tier", self._tenant, tier)


def earn_campaign_of(campaign: domain.EarnCampaign, locale: str, tenant: str) -> EarnCampaign:
    return EarnCampaign(_campaign=campaign, _locale=locale, _tenant=tenant)


@strawberry.input(
    description=(
        "A DateTime with an offset is that instant; one without an offset is a wall-clock "
        "time in the tenant's time zone (2027-02-08T00:00:00 = midnight in Riyadh for a "
        "tenant in Asia/Riyadh). Campaigns run from startsAt (inclusive) to endsAt (exclusive)."
    )
)
class EarnCampaignInput:
    name: LocalizedTextInput
    starts_at: datetime
    ends_at: datetime
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Absent: a new campaign. Present: replaces that campaign."
    )
    multiplier: Decimal | None = strawberry.field(
        default=None, description='From "1.01" to "10", two decimals at most.'
    )
    bonus_points: int | None = None
    categories: list[str] | None = None
    skus: list[str] | None = None
    segment: Segment | None = None
    tier_id: strawberry.ID | None = None

    def to_domain(self, tenant: str) -> DomainInput:
        return DomainInput(
            id=optional_key(self.id, "EarnCampaign", tenant),
            name=self.name.to_domain(),
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            multiplier=self.multiplier,
            bonus_points=self.bonus_points,
            categories=self.categories,
            skus=self.skus,
            segment=self.segment,
            tier_id=optional_key(self.tier_id, "Tier", tenant),
        )


@strawberry.type
class EarnCampaignPayload:
    campaign: EarnCampaign | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(
    description=(
        "A season of the Gulf's shopping calendar, ready to become a campaign: pass its "
        "names, startsAt, endsAt and multiplier to upsertEarnCampaign (edit them first if "
        "you like). Hijri seasons follow the Umm al-Qura calendar."
    )
)
class EarnCampaignPreset:
    _preset: strawberry.Private[earn_presets.Preset]
    _locale: strawberry.Private[str]
    _zone: strawberry.Private[ZoneInfo]

    @strawberry.field
    def kind(self) -> PresetKind:
        return self._preset.kind

    @strawberry.field(description="The suggested campaign name, in the reader's language.")
    def name(self) -> str:
        return self._preset.name.pick(self._locale) or self._preset.kind.value

    @strawberry.field(description="The suggested name in both languages.")
    def names(self) -> LocalizedTextValue:
        return LocalizedTextValue(ar=self._preset.name.ar, en=self._preset.name.en)

    @strawberry.field(description="Midnight of the first day, in the tenant's time zone.")
    def starts_at(self) -> datetime:
        return self._preset.starts_at(self._zone)

    @strawberry.field(description="Midnight after the last day, in the tenant's time zone.")
    def ends_at(self) -> datetime:
        return self._preset.ends_at(self._zone)

    @strawberry.field
    def multiplier(self) -> Decimal:
        return Decimal(str(self._preset.multiplier))
