"""The audit log as the merchant reads it (auditLog): a Relay connection, newest first."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from graphql_schema.common import PageInfo, encode_key_cursor
from graphql_schema.node import global_id
from loyalty import audit as domain

strawberry.enum(domain.AuditKind, name="AuditKind")
strawberry.enum(domain.Outcome, name="AuditOutcome")
CURSOR = "audit"


@strawberry.type(description="Who acted: an API key (id and label), the platform, the system.")
class AuditActor:
    kind: str = strawberry.field(description="merchant, platform or system.")
    key_id: strawberry.ID | None
    label: str | None


@strawberry.type(description="One document: before null = created, after null = removed.")
class AuditChange:
    target: str
    before: JSON | None = strawberry.field(description="The fields that changed, as they were.")
    after: JSON | None


@strawberry.type
class AuditEntry:
    _entry: strawberry.Private[domain.AuditEntry]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return global_id("AuditEntry", self._entry.tenant, self._entry.id)

    @strawberry.field
    def at(self) -> datetime:
        return self._entry.at

    @strawberry.field
    def kind(self) -> domain.AuditKind:
        return self._entry.kind

    @strawberry.field(description="The mutation (or job) that acted.")
    def action(self) -> str:
        return self._entry.action

    @strawberry.field
    def actor(self) -> AuditActor:
        actor = self._entry.actor
        key = None if actor.key_id is None else strawberry.ID(actor.key_id)
        return AuditActor(kind=actor.kind, key_id=key, label=actor.label)

    @strawberry.field(description="The arguments, secrets left out.")
    def input(self) -> JSON:
        return JSON(dict(self._entry.input))

    @strawberry.field
    def changes(self) -> list[AuditChange]:
        return [
            AuditChange(
                target=c.target,
                before=None if c.before is None else JSON(dict(c.before)),
                after=None if c.after is None else JSON(dict(c.after)),
            )
            for c in self._entry.changes
        ]

    @strawberry.field(description="REFUSED: answered with userErrors, nothing changed.")
    def outcome(self) -> domain.Outcome:
        return self._entry.outcome

    @strawberry.field
    def error_codes(self) -> list[str]:
        return list(self._entry.error_codes)


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type
class AuditConnection:
    edges: list[AuditEntryEdge]
    page_info: PageInfo

    @staticmethod
    def of(entries: list[domain.AuditEntry], limit: int) -> AuditConnection:
        edges = [
            AuditEntryEdge(
                cursor=encode_key_cursor(CURSOR, [e.at, e.id]), node=AuditEntry(_entry=e)
            )
            for e in entries[:limit]
        ]
        return AuditConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(entries) > limit,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
