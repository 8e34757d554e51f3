"""Root field of the audit log: auditLog (admin)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.audit import CURSOR, AuditConnection
from graphql_schema.common import decode_key_cursor, page_size
from graphql_schema.context import Info
from graphql_schema.permissions import HasAdminScope
from loyalty.audit import AuditFilter, AuditKind
from loyalty.clock import ensure_utc
from loyalty.usecases.audit import audit_page


@strawberry.type
class AuditQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope],
        description=(
            "Admin and platform mutations, newest first: who (key id and label), what, when, "
            "and the before/after of what changed. Filter by kinds and by [since, until)."
        ),
    )
    async def audit_log(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        kinds: list[AuditKind] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AuditConnection:
        scope = info.context.scope
        limit = page_size(first)
        cursor = decode_key_cursor(CURSOR, after, 2)
        where = AuditFilter(
            kinds=tuple(kinds or ()),
            since=None if since is None else ensure_utc(since),
            until=None if until is None else ensure_utc(until),
        )
        key = None if cursor is None else (cursor[0], str(cursor[1]))
        entries = await audit_page(scope.deps, scope.require_tenant().slug, where, key, limit)
        return AuditConnection.of(entries, limit)
