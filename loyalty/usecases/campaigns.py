"""Merchants schedule campaigns to a segment, a tier or everyone; the scheduler sends them."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from loyalty.campaign_progress import CampaignProgress, progress
from loyalty.errors import DomainError, ErrorCode
from loyalty.notification_ports import Campaign, CampaignPage
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.tenants import Tenant

MAX_NAME = 100
MAX_TITLE = 100
MAX_BODY = 500
MAX_AHEAD = timedelta(days=366)


def _check_text(text: LocalizedText, field: str, limit: int) -> LocalizedText:
    ar = (text.ar or "").strip() or None
    en = (text.en or "").strip() or None
    if ar is None and en is None:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", field), detail=field)
    for lang, value in (("ar", ar), ("en", en)):
        if value is not None and len(value) > limit:
            raise DomainError(ErrorCode.TOO_LONG, ("input", field, lang), max=limit)
    return LocalizedText(ar=ar, en=en)


async def create_campaign(
    deps: Deps,
    tenant: Tenant,
    *,
    name: str,
    segment: str | None,
    tier_id: str | None,
    title: LocalizedText,
    body: LocalizedText,
    send_at: datetime | None,
) -> Campaign:
    """The name is the natural key: creating the same campaign again returns the first one;
    the same name with different content is ALREADY_EXISTS."""
    name = name.strip()
    if not name:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "name"), detail="name")
    if len(name) > MAX_NAME:
        raise DomainError(ErrorCode.TOO_LONG, ("input", "name"), max=MAX_NAME)
    if segment is not None and tier_id is not None:
        raise DomainError(ErrorCode.INVALID_AUDIENCE, ("input", "tierId"))
    if tier_id is not None and tenant.program.tier(tier_id) is None:
        raise DomainError(ErrorCode.TIER_NOT_FOUND, ("input", "tierId"))
    title = _check_text(title, "title", MAX_TITLE)
    body = _check_text(body, "body", MAX_BODY)
    now = deps.clock.now()
    when = send_at or now
    when = when.replace(microsecond=when.microsecond // 1000 * 1000)  # BSON keeps milliseconds
    if when > now + MAX_AHEAD:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("input", "sendAt"), min=0, max=366)
    wanted = Campaign(
        tenant=tenant.slug,
        id=hashlib.sha256(name.encode()).hexdigest()[:20],
        name=name,
        title=title,
        body=body,
        send_at=when,
        created_at=now,
        segment=segment,
        tier_id=tier_id,
    )
    stored = await deps.campaigns.insert(wanted)
    if _content(stored) != _content(wanted) or (send_at is not None and stored.send_at != when):
        raise DomainError(ErrorCode.ALREADY_EXISTS, ("input", "name"), detail=name)
    return stored


def _content(c: Campaign) -> tuple[object, ...]:
    return (c.name, c.segment, c.tier_id, c.title, c.body)


async def campaign_page(
    deps: Deps, tenant: Tenant, after: tuple[datetime, str] | None, limit: int
) -> CampaignPage:
    """The merchant's campaigns, newest first, with how far each got (status, queued)."""
    return await deps.campaigns.page(tenant.slug, after, limit)


async def campaign_progress(
    deps: Deps, tenant: Tenant, campaign_id: str
) -> tuple[Campaign, CampaignProgress] | None:
    """The campaign and how far it has got (counted from its rows in the outbox)."""
    campaign = await deps.campaigns.get(tenant.slug, campaign_id)
    if campaign is None:
        return None
    counts = await deps.outbox.campaign_counts(tenant.slug, campaign.id)
    return campaign, progress(campaign, counts, deps.clock.now())
