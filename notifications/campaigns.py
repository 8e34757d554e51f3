"""Scheduled campaigns: at `sendAt`, one outbox row per member of the audience (a segment, a
tier, or everyone), streamed from one cursor in member id order and written a page at a time
in one unordered insert. The campaign remembers the last member it queued, so a restarted
worker resumes there; the dedupe key (campaign, member) covers the rest.

Given a sender, the job sends as it goes, one page behind: after writing a page it claims the
page before it (by id, the rows in hand: no read) and sends what no other worker took, and it
sends its last pages so when the audience is done, then drains what is left. Meanwhile other
workers' drains (the unleased push-send job) take the newest page from the pool, so a large
campaign's sending spreads over every worker instead of one process's core, and a row is still
sent once whoever claims it (the claims are fenced: dispatch.py). Memory stays flat in the
audience's size: a page or two at a time."""

from __future__ import annotations

from dataclasses import replace

from loyalty.notification_ports import AudienceMember, Campaign
from loyalty.notifications import Notification, NotificationKind, PushSender
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.dispatch import HOLD, deliver, drain
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
    behind: list[Notification] = []  # the page written last, left to other workers meanwhile
    stream = deps.audiences.stream_audience(
        tenant.slug, campaign.segment, campaign.tier_id, campaign.cursor
    )
    async for member in stream:
        members.append(member)
        if len(members) < page:
            continue
        moved, campaign, written = await _page(deps, tenant, campaign, members, texts)
        queued += len(written)
        pages += 1
        members = []
        if sender is not None:
            await _send_own(deps, tenant, sender, behind, pace)
            behind = written
        if not moved or pages >= max_pages:
            if sender is not None:
                await _send_own(deps, tenant, sender, behind, pace)
            return queued
    _, campaign, written = await _page(deps, tenant, campaign, members, texts, done=True)
    if sender is not None:
        await _send_own(deps, tenant, sender, behind, pace)
        await _send_own(deps, tenant, sender, written, pace)
        # What is still due (rows a worker that died let go of, other due rows), as a drain
        # sends it, within what is left of the job's budget of pages.
        await drain(deps, tenant, sender, limit=page, pace=pace, max_batches=max_pages - pages)
    return queued + len(written)


async def _send_own(
    deps: Deps,
    tenant: Tenant,
    sender: PushSender,
    rows: list[Notification],
    pace: Pace | None,
) -> None:
    """Sends the rows of a page this job wrote that no other worker has claimed (none while
    FCM asked the sender to wait: they stay in the pool for after)."""
    now = deps.clock.now()
    if not rows or (pace is not None and pace.paused(now)):
        return
    mine = await deps.outbox.claim_rows(rows, now, now + HOLD)
    await deliver(deps, tenant, sender, mine, pace)


async def _page(
    deps: Deps,
    tenant: Tenant,
    campaign: Campaign,
    members: list[AudienceMember],
    texts: dict[str, tuple[str, str]],
    *,
    done: bool = False,
) -> tuple[bool, Campaign, list[Notification]]:
    now = deps.clock.now()
    rows = [_row(deps, tenant, campaign, member, texts) for member in members]
    written = await deps.outbox.enqueue_many(rows)
    cursor = members[-1].id if members else campaign.cursor
    moved = await deps.campaigns.advance(campaign, cursor, len(written), done, at=now)
    campaign = replace(
        campaign, cursor=cursor, queued=campaign.queued + len(written), status="SENDING"
    )
    return moved, campaign, written


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
