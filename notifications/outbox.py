"""Writing to the outbox: render the texts once, in the member's language, under a dedupe key."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from loyalty.members import Member
from loyalty.notifications import Notification, NotificationKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.templates import DEEP_LINKS, Params, render


async def queue(
    deps: Deps,
    tenant: Tenant,
    member: Member,
    kind: NotificationKind,
    dedupe_key: str,
    params: Params,
    *,
    data: Mapping[str, str] | None = None,
    expires_at: datetime | None = None,
    texts: tuple[str, str] | None = None,
) -> bool:
    """True when written now; False when this dedupe key was written before (a re-run)."""
    texts = texts or render(kind, member.locale, tenant.program, params)
    row = row_for(
        deps.clock.now(), tenant, member, kind, dedupe_key, texts, data=data, expires_at=expires_at
    )
    return await deps.outbox.enqueue(row)


class Recipient(Protocol):
    """Whom a row is for: a member, or the slimmer read a batch job makes of one."""

    @property
    def id(self) -> str: ...
    @property
    def locale(self) -> str: ...


def row_for(
    now: datetime,
    tenant: Tenant,
    member: Recipient,
    kind: NotificationKind,
    dedupe_key: str,
    texts: tuple[str, str],
    *,
    data: Mapping[str, str] | None = None,
    expires_at: datetime | None = None,
) -> Notification:
    """The outbox row for one member, due now (batch writers collect these)."""
    title, body = texts
    return Notification(
        tenant=tenant.slug,
        member_id=member.id,
        kind=kind,
        dedupe_key=dedupe_key,
        locale=member.locale,
        title=title,
        body=body,
        created_at=now,
        not_before=now,
        data={"kind": kind.value, "link": DEEP_LINKS[kind], **(data or {})},
        expires_at=expires_at,
    )
