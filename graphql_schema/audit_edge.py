"""Records every mutation an admin key or the platform key calls, at one place for all of
them: `audit_mutations` puts the extension on each field of the merged Mutation type.

The extension runs inside the field's permission check (a refused caller is answered before
anything is recorded), reads the documents of the mutation's kind before and after it, and
writes one entry with the caller's key id and label, the input (secrets left out) and the
outcome. Member tokens and events keys are not recorded here: they move points, which the
ledger records already."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.maybe import Some

from graphql_schema.context import Info
from loyalty.audit import MAX_TEXT, PLATFORM, Actor, Json, Outcome, redacted
from loyalty.principal import Kind, Principal
from loyalty.tenants import Scope
from loyalty.usecases.audit import audited


def actor_of(principal: Principal) -> Actor | None:
    if principal.error is not None:
        return None
    if principal.kind is Kind.PLATFORM:
        return PLATFORM
    key = principal.api_key
    if principal.kind is Kind.MERCHANT and Scope.ADMIN in principal.scopes and key is not None:
        return Actor("merchant", key.id, key.shown_label)
    return None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def plain(value: Any) -> Json:
    """A mutation's arguments as JSON for the log."""
    if isinstance(value, Some):
        return plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # What the caller sent: an absent field (None) is left out, an explicit null of a
        # Maybe field (Some(None)) is kept.
        return {
            _camel(f.name): "<redacted>" if redacted(f.name) else plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if value is None or isinstance(value, bool | int | float):
        return value
    if hasattr(value, "filename"):  # an upload: its name and size, never its bytes
        return {"filename": getattr(value, "filename", None), "size": getattr(value, "size", None)}
    return str(value)[:MAX_TEXT]


def _outcome(result: Any) -> tuple[Outcome, Sequence[str]]:
    errors = getattr(result, "user_errors", None) or []
    if errors:
        return Outcome.REFUSED, [str(getattr(e.code, "value", e.code)) for e in errors]
    return Outcome.OK, []


class AuditedMutation(FieldExtension):
    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        context = info.context
        actor = actor_of(context.principal)
        if actor is None:
            return await next_(source, info, **kwargs)
        scope = context.scope
        before = scope.tenant.slug if scope.tenant is not None else None
        arguments = {
            _camel(name): "<redacted>" if redacted(name) else plain(value)
            for name, value in kwargs.items()
        }

        def outcome_of(result: Any) -> tuple[Outcome, Sequence[str], str | None]:
            outcome, codes = _outcome(result)
            # createTenant answers in the tenant it made (the scope then names it).
            return outcome, codes, scope.tenant.slug if scope.tenant is not None else None

        return await audited(
            scope.deps,
            actor,
            info.field_name,
            arguments,
            before,
            lambda: next_(source, info, **kwargs),
            outcome_of,
        )


def audit_mutations(mutation: type) -> type:
    """Puts the extension innermost on every field, inside the permission check."""
    definition: StrawberryObjectDefinition = mutation.__strawberry_definition__  # type: ignore[attr-defined]
    for field in definition.fields:
        field.extensions.insert(0, AuditedMutation())
    return mutation
