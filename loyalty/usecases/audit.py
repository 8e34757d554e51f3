"""Recording to the audit log, and reading it.

`record` is the hook for use cases and jobs with something of their own to say (an erasure,
a bulk job starting or finishing, a scheduler pass acting for the merchant): they name the
actor (`loyalty.audit.SYSTEM` for the scheduler), the kind, the action and the changes.
Mutations called with an admin or platform key are recorded by the GraphQL edge through
`audited`, which snapshots the documents of the mutation's kind before and after it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from loyalty.audit import (
    ACTION_KINDS,
    SELF_AUDITED,
    SNAPSHOT_KINDS,
    Actor,
    AuditEntry,
    AuditFilter,
    AuditKind,
    Change,
    Json,
    Outcome,
    Snapshot,
    diff,
    member_ids,
)
from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.privacy import identity_hash

T = TypeVar("T")
MAX_PAGE = 100


async def record(
    deps: Deps,
    tenant: str,
    actor: Actor,
    kind: AuditKind,
    action: str,
    *,
    input: Mapping[str, Json] | None = None,
    changes: Sequence[Change] = (),
    outcome: Outcome = Outcome.OK,
    error_codes: Sequence[str] = (),
) -> AuditEntry:
    plain_input = dict(input or {})
    subjects = sorted({identity_hash(tenant, i) for i in member_ids(plain_input)})
    entry = AuditEntry(
        id="",
        tenant=tenant,
        at=deps.clock.now(),
        actor=actor,
        kind=kind,
        action=action,
        input=plain_input,
        changes=tuple(changes),
        outcome=outcome,
        error_codes=tuple(error_codes),
        subjects=tuple(subjects),
    )
    return await deps.audit.record(entry)


def kind_of(action: str) -> AuditKind:
    return ACTION_KINDS.get(action, AuditKind.OTHER)


async def _snapshot(deps: Deps, tenant: str | None, kind: AuditKind) -> Snapshot:
    if tenant is None or kind not in SNAPSHOT_KINDS:
        return {}
    return await deps.audit.snapshot(tenant, kind)


async def audited(
    deps: Deps,
    actor: Actor,
    action: str,
    input: Mapping[str, Json],
    tenant_before: str | None,
    run: Callable[[], Awaitable[T]],
    outcome_of: Callable[[T], tuple[Outcome, Sequence[str], str | None]],
) -> T:
    """Runs a mutation and records it: `outcome_of` reads the answer (its userErrors, and the
    tenant it acted in when that was not known before: a tenant just created). A mutation
    that raised (a refusal at the door, an unexpected error) is not recorded: it changed
    nothing the caller was answered about, and the exception goes on up."""
    if action in SELF_AUDITED:
        return await run()
    kind = kind_of(action)
    before = await _snapshot(deps, tenant_before, kind)
    result = await run()
    outcome, codes, tenant = outcome_of(result)
    tenant = tenant or tenant_before
    if tenant is None:
        return result
    changes: tuple[Change, ...] = ()
    if outcome is Outcome.OK:
        changes = diff(before, await _snapshot(deps, tenant, kind))
    await record(
        deps,
        tenant,
        actor,
        kind,
        action,
        input=input,
        changes=changes,
        outcome=outcome,
        error_codes=codes,
    )
    return result


async def audit_page(
    deps: Deps,
    tenant: str,
    where: AuditFilter,
    after: tuple[datetime, str] | None,
    first: int,
) -> list[AuditEntry]:
    """One more than asked, so the caller knows whether a next page exists."""
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.OUT_OF_RANGE, ("first",), min=1, max=MAX_PAGE)
    if where.since is not None and where.until is not None and where.until <= where.since:
        raise DomainError(ErrorCode.INVALID_RANGE, ("until",))
    return await deps.audit.page(tenant, where, after, first + 1)
