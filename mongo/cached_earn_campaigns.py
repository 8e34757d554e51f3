"""A short-lived in-process copy of each tenant's recent earn campaigns.

Every order reads them (what was running when it was placed), and so does every app that shows
the campaign banner, so without a copy each order would cost one more database call. Writes
through this instance drop the copy at once; other instances see a change within TTL: a
campaign edited there applies to orders recorded here up to TTL later, as if the merchant had
saved it a few seconds later. The copy holds campaigns ending after RECENT_CAMPAIGNS before
the time it was read, so it never lacks one an order recorded within TTL could need."""

from __future__ import annotations

from datetime import datetime

from loyalty.clock import Clock
from loyalty.earn_campaigns import EarnCampaign
from mongo.earn_campaigns import MongoEarnCampaigns
from mongo.ttl_copies import TtlCopies


class CachedEarnCampaigns:
    def __init__(self, inner: MongoEarnCampaigns, clock: Clock) -> None:
        self.inner = inner
        self.clock = clock
        self.copies: TtlCopies[str, list[EarnCampaign]] = TtlCopies(clock)

    async def save(self, tenant: str, campaign: EarnCampaign) -> None:
        await self.copies.write_through(tenant, self.inner.save(tenant, campaign))

    async def get(self, tenant: str, campaign_id: str) -> EarnCampaign | None:
        return await self.inner.get(tenant, campaign_id)

    async def ending_after(self, tenant: str, moment: datetime) -> list[EarnCampaign]:
        return await self.inner.ending_after(tenant, moment)

    async def recent(self, tenant: str) -> list[EarnCampaign]:
        return list(await self.copies.get(tenant, lambda: self.inner.recent(tenant)) or ())
