"""Scheduled campaigns: at `sendAt`, one outbox row per member of the audience (a segment, a
tier, or everyone), queued in pages by member id. The campaign remembers the last member it
queued, so a restarted worker resumes there; the dedupe key (campaign, member) covers the rest."""

from __future__ import annotations

from dataclasses import replace

from loyalty.notification_ports import Campaign
from loyalty.notifications import NotificationKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.outbox import queue
from notifications.templates import campaign_text

PAGE = 500


async def run_due_campaigns(
    deps: Deps, tenant: Tenant, max_pages: int = 20, *, page: int = PAGE
) -> int:
    queued = 0
    for campaign in await deps.campaigns.due(tenant.slug, deps.clock.now(), 10):
        queued += await _fan_out(deps, tenant, campaign, max_pages, page)
    return queued


async def _fan_out(
    deps: Deps, tenant: Tenant, campaign: Campaign, max_pages: int, page: int
) -> int:
    """Each page moves the campaign on from where this worker found it; when another worker
    (whose lease overlapped) moved it first, this one is behind and stops."""
    queued = 0
    for _ in range(max_pages):
        members = await deps.audiences.in_audience(
            tenant.slug, campaign.segment, campaign.tier_id, campaign.cursor, page
        )
        written = 0
        for member in members:
            texts = (
                campaign_text(campaign.title, member.locale),
                campaign_text(campaign.body, member.locale),
            )
            written += await queue(
                deps,
                tenant,
                member,
                NotificationKind.CAMPAIGN,
                f"campaign:{campaign.id}:{member.id}",
                {},
                data={"campaignId": campaign.id},
                texts=texts,
            )
        queued += written
        cursor = members[-1].id if members else campaign.cursor
        done = len(members) < page
        if not await deps.campaigns.advance(campaign, cursor, written, done) or done:
            break
        campaign = replace(
            campaign, cursor=cursor, queued=campaign.queued + written, status="SENDING"
        )
    return queued
