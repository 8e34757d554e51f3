"""Scheduled campaigns: at `sendAt`, one outbox row per member of the audience (a segment, a
tier, or everyone), streamed from one cursor in member id order and written a page at a time
in one unordered insert. The campaign remembers the last member it queued, so a restarted
worker resumes there; the dedupe key (campaign, member) covers the rest.

Given a sender, the job sends as it goes: after each page it drains one page's worth of the
tenant's due rows, through the same fenced claim as every worker's drain (dispatch.py), and when
the audience is queued it drains until nothing is due. Other workers' drains (the unleased
push-send job) take rows from the same pool meanwhile, so a large campaign's sending spreads
over every worker instead of one process's core, and a row is still sent once whoever claims
it. Memory stays flat in the audience's size: one page at a time."""

from __future__ import annotations

from dataclasses import replace

from loyalty.notification_ports import AudienceMember, Campaign
from loyalty.notifications import Notification, NotificationKind, PushSender
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.dispatch import drain
from notifications.outbox import row_for
from notifications.pace import Pace
from notifications.templates import campaign_text

PAGE = 500


async def run_due_campaigns(
    deps: Deps,
    tenant: Tenant,
    max_pages: int = 400,
    *,
    page: int = PAGE,
    sender: PushSender | None = None,
    pace: Pace | None = None,
) -> int:
    queued = 0
    for campaign in await deps.campaigns.due(tenant.slug, deps.clock.now(), 10):
        queued += await _fan_out(deps, tenant, campaign, max_pages, page, sender, pace)
    return queued


async def _fan_out(
    deps: Deps,
    tenant: Tenant,
    campaign: Campaign,
    max_pages: int,
    page: int,
    sender: PushSender | None,
    pace: Pace | None,
) -> int:
    """Each page moves the campaign on from where this worker found it; when another worker
    (whose lease overlapped) moved it first, this one is behind and stops."""
    if campaign.started_at is None:
        size = await deps.audiences.audience_size(tenant.slug, campaign.segment, campaign.tier_id)
        campaign = await deps.campaigns.start(campaign, deps.clock.now(), size)
    texts: dict[str, tuple[str, str]] = {}  # per locale: rendered once per campaign
    queued = pages = 0
    members: list[AudienceMember] = []
    stream = deps.audiences.stream_audience(
        tenant.slug, campaign.segment, campaign.tier_id, campaign.cursor
    )
    async for member in stream:
        members.append(member)
        if len(members) < page:
            continue
        moved, campaign, written = await _page(deps, tenant, campaign, members, texts)
        queued += written
        pages += 1
        members = []
        if sender is not None:
            await drain(deps, tenant, sender, limit=page, pace=pace)
        if not moved or pages >= max_pages:
            return queued
    _, campaign, written = await _page(deps, tenant, campaign, members, texts, done=True)
    if sender is not None:
        # The rest of the campaign's rows (and any other due ones), as a drain sends them,
        # within what is left of the job's budget of pages.
        await drain(deps, tenant, sender, limit=page, pace=pace, max_batches=max_pages - pages)
    return queued + written


async def _page(
    deps: Deps,
    tenant: Tenant,
    campaign: Campaign,
    members: list[AudienceMember],
    texts: dict[str, tuple[str, str]],
    *,
    done: bool = False,
) -> tuple[bool, Campaign, int]:
    now = deps.clock.now()
    rows = [_row(deps, tenant, campaign, member, texts) for member in members]
    written = await deps.outbox.enqueue_many(rows)
    cursor = members[-1].id if members else campaign.cursor
    moved = await deps.campaigns.advance(campaign, cursor, len(written), done, at=now)
    campaign = replace(
        campaign, cursor=cursor, queued=campaign.queued + len(written), status="SENDING"
    )
    return moved, campaign, len(written)


def _row(
    deps: Deps,
    tenant: Tenant,
    campaign: Campaign,
    member: AudienceMember,
    texts: dict[str, tuple[str, str]],
) -> Notification:
    if member.locale not in texts:
        texts[member.locale] = (
            campaign_text(campaign.title, member.locale),
            campaign_text(campaign.body, member.locale),
        )
    return row_for(
        deps.clock.now(),
        tenant,
        member,
        NotificationKind.CAMPAIGN,
        f"campaign:{campaign.id}:{member.id}",
        texts[member.locale],
        data={"campaignId": campaign.id},
    )
