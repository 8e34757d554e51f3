"""Push notifications: members register devices and choose what they hear (member); merchants
read the log and schedule campaigns (admin)."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from graphql_schema.common import PageInfo, page_size
from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.node import optional_key
from graphql_schema.notifications import (
    Campaign,
    CreateCampaignInput,
    CreateCampaignPayload,
    Device,
    Notification,
    NotificationConnection,
    NotificationEdge,
    NotificationPreferences,
    RegisterDeviceInput,
    RegisterDevicePayload,
    UnregisterDevicePayload,
    UpdateNotificationPreferencesInput,
    UpdateNotificationPreferencesPayload,
    log_cursor,
    read_log_cursor,
)
from graphql_schema.permissions import HasAdminScope, IsMember
from loyalty.notification_ports import LogPage
from loyalty.usecases import campaigns, devices

T = TypeVar("T")


@strawberry.type
class NotificationQuery:
    @strawberry.field(permission_classes=[IsMember])
    async def notification_preferences(self, info: Info) -> NotificationPreferences:
        scope = info.context.scope
        member = scope.require_member()
        return NotificationPreferences.of(
            await scope.deps.preferences.get(member.tenant, member.id)
        )

    @strawberry.field(
        permission_classes=[HasAdminScope],
        description="A campaign with its progress (null when there is none with this id).",
    )
    async def campaign(self, info: Info, id: strawberry.ID) -> Campaign | None:
        scope = info.context.scope
        found = await campaigns.campaign_progress(scope.deps, scope.require_tenant(), str(id))
        return None if found is None else Campaign.of(*found)

    @strawberry.field(permission_classes=[HasAdminScope])
    async def notification_log(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        member_external_id: strawberry.ID | None = None,
    ) -> NotificationConnection:
        scope = info.context.scope
        tenant = scope.require_tenant()
        # A bad argument raises DomainError: the view turns it into a coded top-level error.
        limit = page_size(first)
        position = read_log_cursor(after)
        page = LogPage(items=[], has_next=False)
        if member_external_id is None:
            page = await scope.deps.outbox.page(tenant.slug, None, position, limit)
        else:
            holder = await scope.deps.members.get_by_external_id(
                tenant.slug, str(member_external_id)
            )
            if holder is not None:
                page = await scope.deps.outbox.page(tenant.slug, holder.id, position, limit)
        names: dict[str, str | None] = {}
        edges = []
        for row in page.items:
            if row.member_id not in names:
                member = await scope.deps.members.get(tenant.slug, row.member_id)
                names[row.member_id] = member.external_id if member else None
            external_id = names[row.member_id]
            node = Notification(
                id=strawberry.ID(row.dedupe_key),
                member_external_id=strawberry.ID(external_id) if external_id else None,
                kind=row.kind,
                status=row.status,
                reason=row.reason,
                locale=row.locale,
                title=row.title,
                body=row.body,
                deep_link=row.data.get("link"),
                created_at=row.created_at,
                sent_at=row.sent_at,
                sender=row.sender,
                attempts=row.attempts,
            )
            edges.append(NotificationEdge(cursor=log_cursor(row), node=node))
        end = edges[-1].cursor if edges else None
        return NotificationConnection(
            edges=edges, page_info=PageInfo(has_next_page=page.has_next, end_cursor=end)
        )


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(permission_classes=[IsMember])
    async def register_device(
        self, info: Info, input: RegisterDeviceInput
    ) -> RegisterDevicePayload:
        scope = info.context.scope
        device, errors = await attempt(
            scope.locale,
            lambda: devices.register_device(
                scope.deps,
                scope.require_member(),
                token=input.token,
                platform=input.platform,
                locale=input.locale,
                timezone=input.timezone,
                replaces=input.replaces_token,
            ),
        )
        if device is None:
            return RegisterDevicePayload(user_errors=errors)
        return RegisterDevicePayload(device=Device.of(device))

    @strawberry.mutation(permission_classes=[IsMember])
    async def unregister_device(self, info: Info, token: str) -> UnregisterDevicePayload:
        scope = info.context.scope

        async def unregister() -> bool:
            await devices.unregister_device(scope.deps, scope.require_member(), token)
            return True

        removed, errors = await attempt(scope.locale, unregister)
        if removed is None:
            return UnregisterDevicePayload(user_errors=errors)
        return UnregisterDevicePayload(removed=removed)

    @strawberry.mutation(permission_classes=[IsMember])
    async def update_notification_preferences(
        self, info: Info, input: UpdateNotificationPreferencesInput
    ) -> UpdateNotificationPreferencesPayload:
        scope = info.context.scope

        def given(value: strawberry.Some[T] | None) -> T | object:
            return devices.UNSET if value is None else value.value

        prefs, errors = await attempt(
            scope.locale,
            lambda: devices.update_preferences(
                scope.deps,
                scope.require_member(),
                opted_out=given(input.opted_out),
                quiet_start=given(input.quiet_hours_start),
                quiet_end=given(input.quiet_hours_end),
            ),
        )
        if prefs is None:
            return UpdateNotificationPreferencesPayload(user_errors=errors)
        return UpdateNotificationPreferencesPayload(preferences=NotificationPreferences.of(prefs))

    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def create_campaign(
        self, info: Info, input: CreateCampaignInput
    ) -> CreateCampaignPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        campaign, errors = await attempt(
            scope.locale,
            lambda: campaigns.create_campaign(
                scope.deps,
                tenant,
                name=input.name,
                segment=input.segment.value if input.segment else None,
                tier_id=optional_key(input.tier_id, "Tier", tenant.slug),
                title=input.title.to_domain(),
                body=input.body.to_domain(),
                send_at=input.send_at,
            ),
        )
        if campaign is None:
            return CreateCampaignPayload(user_errors=errors)
        return CreateCampaignPayload(campaign=Campaign.of(campaign))
