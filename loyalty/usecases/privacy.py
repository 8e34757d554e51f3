"""Erasing a member's personal data and exporting everything held about them (see
loyalty/privacy.py for what is removed and what is kept)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from loyalty.audit import Actor, AuditKind, Change
from loyalty.errors import DomainError, ErrorCode
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.privacy import PSEUDONYM_PREFIX, Erasure, identity_hash
from loyalty.tenants import Tenant
from loyalty.usecases.audit import record
from loyalty.usecases.members import check_external_id

EXPORT_FORMAT = "loyalty.member-export/1"
ERASED_FIELDS = (
    "displayName",
    "email",
    "phone",
    "birthday",
    "searchKeys",
    "devices",
    "notificationPreferences",
    "notificationTexts",
    "leaderboard",
    "ledgerNotes",
)


@dataclass(frozen=True)
class Erased:
    pseudonym: str
    already: bool  # erased by an earlier call: nothing more was done


async def erase_member(deps: Deps, tenant: Tenant, actor: Actor, external_id: str) -> Erased:
    """Idempotent: erasing an erased member answers with the same pseudonym, and a retry after
    a crash part way finishes the work (the tombstone keeps the member id until done)."""
    field = ("externalId",)
    check_external_id(external_id, field)
    identity = identity_hash(tenant.slug, external_id)
    tombstone = await deps.personal_data.erasure(tenant.slug, identity)
    if tombstone is not None and tombstone.done:
        return Erased(tombstone.pseudonym, already=True)
    if tombstone is None:
        member = await deps.members.get_by_external_id(tenant.slug, external_id)
        if member is None:
            raise DomainError(ErrorCode.MEMBER_NOT_FOUND, field)
        tombstone = await deps.personal_data.begin_erasure(
            Erasure(
                tenant=tenant.slug,
                identity=identity,
                pseudonym=PSEUDONYM_PREFIX + secrets.token_hex(12),
                erased_at=deps.clock.now(),
                member_id=member.id,
                done=False,
            )
        )
    if tombstone.member_id is not None:
        # The journal a crash may have left is copied first, so the ledger notes are all there.
        await deps.members.sync_ledger(tenant.slug, tombstone.member_id)
        await deps.personal_data.erase(tombstone, tombstone.member_id, deps.clock.now())
    await record(
        deps,
        tenant.slug,
        actor,
        AuditKind.PRIVACY,
        "eraseMember",
        input={"member": tombstone.pseudonym},
        changes=[Change(tombstone.pseudonym, {"erased": list(ERASED_FIELDS)}, None)],
    )
    await deps.personal_data.finish_erasure(tenant.slug, identity)
    return Erased(tombstone.pseudonym, already=False)


async def refuse_if_erased(deps: Deps, tenant: Tenant, external_id: str) -> None:
    """For enrolment: an erased customer does not come back by signing in."""
    found = await deps.personal_data.erasure(tenant.slug, identity_hash(tenant.slug, external_id))
    if found is not None:
        raise DomainError(ErrorCode.MEMBER_ERASED, ("input", "externalId"))


async def allow_again(deps: Deps, tenant: Tenant, external_id: str) -> None:
    """The merchant enrols that customer again (admin key): a new, empty member."""
    await deps.personal_data.forget_erasure(tenant.slug, identity_hash(tenant.slug, external_id))


async def member_export(
    deps: Deps, tenant: Tenant, actor: Actor, external_id: str
) -> dict[str, Any]:
    member = await deps.members.get_by_external_id(tenant.slug, external_id)
    if member is None:
        raise DomainError(ErrorCode.MEMBER_NOT_FOUND, ("externalId",))
    await deps.members.sync_ledger(tenant.slug, member.id)
    held = await deps.personal_data.export(tenant.slug, member.id)
    await record(
        deps,
        tenant.slug,
        actor,
        AuditKind.PRIVACY,
        "memberExport",
        input={"member": _audit_name(member)},
    )
    return {
        "format": EXPORT_FORMAT,
        "tenant": tenant.slug,
        "exportedAt": deps.clock.now().isoformat(),
        **held,
    }


def _audit_name(member: Member) -> str:
    # The audit log outlives an erasure: it names the member by internal id, not by identity.
    return f"member:{member.id}"
