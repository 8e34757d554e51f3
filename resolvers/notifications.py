"""Devices, notification preferences, the notification log and campaigns."""

from __future__ import annotations

from datetime import datetime

from graphql_schema.context import RequestScope
from loyalty.devices import Category, Device, DevicePlatform, NotificationPrefs
from loyalty.members import Member
from loyalty.notification_ports import Campaign, LogPage
from loyalty.program import LocalizedText
from loyalty.usecases import campaigns, devices
from loyalty.usecases.devices import UNSET


async def register_device(
    scope: RequestScope,
    *,
    token: str,
    platform: DevicePlatform,
    locale: str | None,
    timezone: str | None,
    replaces: str | None,
) -> Device:
    return await devices.register_device(
        scope.deps,
        scope.require_member(),
        token=token,
        platform=platform,
        locale=locale,
        timezone=timezone,
        replaces=replaces,
    )


async def unregister_device(scope: RequestScope, token: str) -> bool:
    await devices.unregister_device(scope.deps, scope.require_member(), token)
    return True


async def preferences(scope: RequestScope) -> NotificationPrefs:
    member = scope.require_member()
    return await scope.deps.preferences.get(member.tenant, member.id)


async def update_preferences(
    scope: RequestScope,
    *,
    opted_out: list[Category] | object = UNSET,
    quiet_start: int | object | None = UNSET,
    quiet_end: int | object | None = UNSET,
) -> NotificationPrefs:
    return await devices.update_preferences(
        scope.deps,
        scope.require_member(),
        opted_out=opted_out,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
    )


async def notification_log(
    scope: RequestScope,
    member_external_id: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> LogPage:
    tenant = scope.require_tenant()
    member_id: str | None = None
    if member_external_id is not None:
        member = await scope.deps.members.get_by_external_id(tenant.slug, member_external_id)
        if member is None:
            return LogPage(items=[], has_next=False)
        member_id = member.id
    return await scope.deps.outbox.page(tenant.slug, member_id, after, limit)


async def member_by_id(scope: RequestScope, member_id: str) -> Member | None:
    return await scope.deps.members.get(scope.require_tenant().slug, member_id)


async def create_campaign(
    scope: RequestScope,
    *,
    name: str,
    segment: str | None,
    tier_id: str | None,
    title: LocalizedText,
    body: LocalizedText,
    send_at: datetime | None,
) -> Campaign:
    return await campaigns.create_campaign(
        scope.deps,
        scope.require_tenant(),
        name=name,
        segment=segment,
        tier_id=tier_id,
        title=title,
        body=body,
        send_at=send_at,
    )
